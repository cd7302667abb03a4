// Parquet writer comparison for --rows parquet (bench/RESULTS.md §5). Not part of npm run bench: it needs
// the two libraries not chosen, installed beside it: npm i --no-save parquet-wasm@0.8.0 apache-arrow
// Usage: node bench/parquet-writers.mjs hyparquet-writer|hyparquet-opt|parquet-wasm|duckdb [out.parquet] (N=10^6 rows by default)
// Writes the same 10^6 trials rows (weight-lemma shape) with three libraries; time, bytes, RSS, and determinism.
import { openSync, writeSync, closeSync, statSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
const N = Number(process.env.N ?? 1e6), GROUP = 1 << 17;
const lib = process.argv[2], out = process.argv[3] ?? `/tmp/${lib}.parquet`;
// deterministic data: a xorshift
let s = 0x9e3779b9;
const rnd = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; };
const hexHi = new Uint32Array(N), hexLo = new Uint32Array(N);
const success = new Float64Array(N), error = new Float64Array(N), crit = new Float64Array(N), sampled = new Float64Array(N), wv = new Float64Array(N), kept = new Float64Array(N);
for (let i = 0; i < N; i++) {
  hexHi[i] = (rnd() * 2 ** 32) >>> 0; hexLo[i] = (rnd() * 2 ** 32) >>> 0;
  const ok = rnd() < 0.9; success[i] = ok ? 1 : 0; error[i] = ok ? rnd() * 0.05 : NaN;
  crit[i] = rnd() < 0.95 ? Math.floor(rnd() * 300) : NaN; sampled[i] = Math.floor(rnd() * 200); wv[i] = rnd() - 0.5; kept[i] = ok ? 2 : NaN;
}
const hex = (i) => hexHi[i].toString(16).padStart(8, '0') + hexLo[i].toString(16).padStart(8, '0');
const names = ['cell', 'seed_index', 'seed_hex', 'w', 'epsilon', 'k', 'success', 'error', 'critical_width', 'sampled_units', 'w_value', 'kept_units'];
const ints = new Set(['cell', 'seed_index', 'success', 'critical_width', 'sampled_units', 'kept_units']);
const strs = new Set(['seed_hex', 'w', 'epsilon', 'k']);
const num = { success, error, critical_width: crit, sampled_units: sampled, w_value: wv, kept_units: kept };
function group(start, end) { // plain JS columns of rows [start, end)
  const n = end - start, cols = {};
  cols.cell = Array(n).fill(0n); cols.seed_index = Array.from({ length: n }, (_, j) => BigInt(start + j));
  cols.seed_hex = Array.from({ length: n }, (_, j) => hex(start + j));
  cols.w = Array(n).fill('uniform'); cols.epsilon = Array(n).fill('0.05'); cols.k = Array(n).fill('1000');
  for (const [name, a] of Object.entries(num)) {
    const c = new Array(n);
    for (let j = 0; j < n; j++) { const v = a[start + j]; c[j] = Number.isNaN(v) ? null : ints.has(name) ? BigInt(v) : v; }
    cols[name] = c;
  }
  return cols;
}
const t0 = performance.now(); const cpu0 = process.cpuUsage();
let peak = 0; const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
if (lib === 'hyparquet-writer') {
  const { ParquetWriter, ByteWriter } = await import('hyparquet-writer');
  const fd = openSync(out, 'w');
  const writer = new ByteWriter();
  const flush = () => { let d = 0; const b = new Uint8Array(writer.buffer, 0, writer.index); while (d < b.length) d += writeSync(fd, b, d); writer.index = 0; };
  writer.flush = flush; writer.finish = flush;
  const schema = [{ name: 'root', num_children: names.length }, ...names.map((name) => strs.has(name) ? { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' } : { name, type: ints.has(name) ? 'INT64' : 'DOUBLE', repetition_type: 'OPTIONAL' })];
  const pw = new ParquetWriter({ writer, schema, createdBy: 'bench' });
  for (let a = 0; a < N; a += GROUP) {
    const cols = group(a, Math.min(N, a + GROUP));
    pw.write({ columnData: names.map((name) => ({ name, data: cols[name] })), rowGroupSize: GROUP });
    sample();
  }
  pw.finish(); closeSync(fd);
} else if (lib === 'hyparquet-opt') {
  const { ParquetWriter, ByteWriter } = await import('hyparquet-writer');
  const fd = openSync(out, 'w');
  const writer = new ByteWriter();
  const flush = () => { let d = 0; const b = new Uint8Array(writer.buffer, 0, writer.index); while (d < b.length) d += writeSync(fd, b, d); writer.index = 0; };
  writer.flush = flush; writer.finish = flush;
  const req = new Set(['cell', 'seed_index', 'seed_hex', 'w', 'epsilon', 'k']);
  const schema = [{ name: 'root', num_children: names.length }, ...names.map((name) => strs.has(name) ? { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: req.has(name) ? 'REQUIRED' : 'OPTIONAL' } : { name, type: ints.has(name) ? 'INT64' : 'DOUBLE', repetition_type: req.has(name) ? 'REQUIRED' : 'OPTIONAL' })];
  const pw = new ParquetWriter({ writer, schema, createdBy: 'bench' });
  for (let a = 0; a < N; a += GROUP) {
    const end = Math.min(N, a + GROUP), n = end - a, cols = {};
    cols.cell = new BigInt64Array(n); const si = new BigInt64Array(n); for (let j = 0; j < n; j++) si[j] = BigInt(a + j); cols.seed_index = si;
    const hx = new Array(n); for (let j = 0; j < n; j++) hx[j] = hex(a + j); cols.seed_hex = hx;
    cols.w = Array(n).fill('uniform'); cols.epsilon = Array(n).fill('0.05'); cols.k = Array(n).fill('1000');
    for (const [name, arr] of Object.entries(num)) {
      const c = new Array(n);
      if (ints.has(name)) for (let j = 0; j < n; j++) { const v = arr[a + j]; c[j] = v !== v ? null : BigInt(v); }
      else for (let j = 0; j < n; j++) { const v = arr[a + j]; c[j] = v !== v ? null : v; }
      cols[name] = c;
    }
    pw.write({ columnData: names.map((name) => ({ name, data: cols[name], ...(name === 'seed_hex' ? { encoding: 'PLAIN' } : {}) })), rowGroupSize: GROUP });
    sample();
  }
  pw.finish(); closeSync(fd);
} else if (lib === 'parquet-wasm') {
  const arrow = await import('apache-arrow');
  const pq = await import('parquet-wasm');
  const fd = openSync(out, 'w');
  const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.SNAPPY).setMaxRowGroupSize(GROUP).setCreatedBy('bench').build();
  const batches = [];
  const stream = new ReadableStream({ start(c) {
    for (let a = 0; a < N; a += GROUP) {
      const cols = group(a, Math.min(N, a + GROUP));
      const vecs = {};
      for (const name of names) vecs[name] = arrow.vectorFromArray(cols[name], strs.has(name) ? new arrow.Utf8() : ints.has(name) ? new arrow.Int64() : new arrow.Float64());
      const table = new arrow.Table(vecs);
      for (const b of pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')).recordBatches()) c.enqueue(b);
      sample();
    }
    c.close();
  } });
  const bytes = await pq.transformParquetStream(stream, props);
  for await (const chunk of bytes) { let d = 0; while (d < chunk.length) d += writeSync(fd, chunk, d); sample(); }
  closeSync(fd);
} else if (lib === 'duckdb') {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  await con.run(`CREATE TABLE t (${names.map((n) => `${n} ${strs.has(n) ? 'VARCHAR' : ints.has(n) ? 'BIGINT' : 'DOUBLE'}`).join(', ')})`);
  const app = await con.createAppender('t');
  for (let i = 0; i < N; i++) {
    app.appendBigInt(0n); app.appendBigInt(BigInt(i)); app.appendVarchar(hex(i)); app.appendVarchar('uniform'); app.appendVarchar('0.05'); app.appendVarchar('1000');
    for (const [name, a] of Object.entries(num)) { const v = a[i]; if (Number.isNaN(v)) app.appendNull(); else if (ints.has(name)) app.appendBigInt(BigInt(v)); else app.appendDouble(v); }
    app.endRow();
    if ((i & 0xffff) === 0) sample();
  }
  app.closeSync();
  sample();
  await con.run(`COPY t TO '${out}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${GROUP})`);
  sample();
}
const ms = performance.now() - t0; const cpu = process.cpuUsage(cpu0); const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
const bytes = statSync(out).size;
console.log(JSON.stringify({ lib, rows: N, ms: Math.round(ms), cpuMs, load: (await import("node:os")).loadavg()[0].toFixed(1), bytes, bytesPerRow: +(bytes / N).toFixed(2), peakRssMB: Math.round(peak / 2 ** 20), sha: createHash('sha256').update(readFileSync(out)).digest('hex').slice(0, 16) }));
