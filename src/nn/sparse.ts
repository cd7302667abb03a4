/**
 * The pruned network Ḡ (THEORY.md §3), stored sparsely: for each target layer i, the
 * pair (M_{2i−1}, M_{2i}) keeps some middle units, each with one kept in-weight v from
 * input coordinate b, and kept out-weights u from a unit to outputs a. Only kept
 * weights are stored and evaluated; buffers are allocated once per network.
 */
export class PrunedPair {
  unitCount = 0;
  edgeCount = 0;
  /** Per kept middle unit: input coordinate, in-weight, and where it sits in G (block, 1-based index). */
  unitInput: Int32Array;
  unitV: Float64Array;
  unitBlock: Int32Array;
  unitIndex: Float64Array;
  /** Per kept out-weight: the middle unit it leaves, the output it enters, its value u. */
  edgeUnit: Int32Array;
  edgeOutput: Int32Array;
  edgeU: Float64Array;
  private middle: Float64Array;

  constructor(readonly inputs: number, readonly outputs: number, unitCapacity: number, edgeCapacity: number) {
    this.unitInput = new Int32Array(unitCapacity);
    this.unitV = new Float64Array(unitCapacity);
    this.unitBlock = new Int32Array(unitCapacity);
    this.unitIndex = new Float64Array(unitCapacity);
    this.edgeUnit = new Int32Array(edgeCapacity);
    this.edgeOutput = new Int32Array(edgeCapacity);
    this.edgeU = new Float64Array(edgeCapacity);
    this.middle = new Float64Array(unitCapacity);
  }

  /** Adds a kept middle unit and returns its number (buffers double when full). */
  addUnit(input: number, v: number, block: number, index: number): number {
    if (this.unitCount === this.unitV.length) this.growUnits();
    const m = this.unitCount++;
    this.unitInput[m] = input;
    this.unitV[m] = v;
    this.unitBlock[m] = block;
    this.unitIndex[m] = index;
    return m;
  }

  addEdge(unit: number, output: number, u: number): void {
    if (this.edgeCount === this.edgeU.length) this.growEdges();
    const e = this.edgeCount++;
    this.edgeUnit[e] = unit;
    this.edgeOutput[e] = output;
    this.edgeU[e] = u;
  }

  private growUnits(): void {
    const size = Math.max(8, 2 * this.unitV.length);
    this.unitInput = grow(this.unitInput, new Int32Array(size));
    this.unitV = grow(this.unitV, new Float64Array(size));
    this.unitBlock = grow(this.unitBlock, new Int32Array(size));
    this.unitIndex = grow(this.unitIndex, new Float64Array(size));
    this.middle = new Float64Array(size);
  }

  private growEdges(): void {
    const size = Math.max(8, 2 * this.edgeU.length);
    this.edgeUnit = grow(this.edgeUnit, new Int32Array(size));
    this.edgeOutput = grow(this.edgeOutput, new Int32Array(size));
    this.edgeU = grow(this.edgeU, new Float64Array(size));
  }

  /** out = M_{2i} σ(M_{2i−1} x) restricted to kept weights; ReLU on out when `relu`. */
  forward(x: Float64Array, out: Float64Array, relu: boolean): void {
    const middle = this.middle;
    for (let m = 0; m < this.unitCount; m++) {
      const z = this.unitV[m] * x[this.unitInput[m]];
      middle[m] = z > 0 ? z : 0; // the middle ReLU
    }
    out.fill(0, 0, this.outputs);
    for (let e = 0; e < this.edgeCount; e++) out[this.edgeOutput[e]] += this.edgeU[e] * middle[this.edgeUnit[e]];
    if (relu) for (let a = 0; a < this.outputs; a++) if (out[a] < 0) out[a] = 0;
  }

  /** The same for P inputs at once, feature-major (x[b·P + p] → out[a·P + p]); `middle` ≥ unitCount × P. */
  forwardBatch(x: Float64Array, P: number, out: Float64Array, relu: boolean, middle: Float64Array): void {
    for (let m = 0; m < this.unitCount; m++) {
      const v = this.unitV[m], ib = this.unitInput[m] * P, mb = m * P;
      for (let p = 0; p < P; p++) {
        const z = v * x[ib + p];
        middle[mb + p] = z > 0 ? z : 0; // the middle ReLU
      }
    }
    out.fill(0, 0, this.outputs * P);
    for (let e = 0; e < this.edgeCount; e++) {
      const u = this.edgeU[e], ob = this.edgeOutput[e] * P, mb = this.edgeUnit[e] * P;
      for (let p = 0; p < P; p++) out[ob + p] += u * middle[mb + p];
    }
    if (relu) for (let j = 0; j < this.outputs * P; j++) if (out[j] < 0) out[j] = 0;
  }

  get keptWeights(): number {
    return this.unitCount + this.edgeCount;
  }
}

/** Ḡ: l pruned pairs, depth 2l; a ReLU after each pair but the last plays the target's ReLU. */
export class PrunedNet {
  private readonly buffers: Float64Array[];
  constructor(readonly pairs: PrunedPair[]) {
    this.buffers = pairs.map((p) => new Float64Array(p.outputs));
  }

  get depth(): number {
    return 2 * this.pairs.length;
  }

  private batchBuffers: Float64Array[] = [];
  private batchMiddle = new Float64Array(0);

  /** Forward pass of P inputs at once, feature-major (x[j·P + p] → out[a·P + p]). Buffers grow once. */
  forwardBatch(x: Float64Array, P: number, out: Float64Array): void {
    const last = this.pairs.length - 1;
    let units = 0;
    for (const pair of this.pairs) units = Math.max(units, pair.unitCount);
    if (this.batchMiddle.length < units * P) this.batchMiddle = new Float64Array(units * P);
    let input = x;
    for (let i = 0; i <= last; i++) {
      const pair = this.pairs[i];
      if (i < last && (this.batchBuffers[i]?.length ?? 0) < pair.outputs * P) this.batchBuffers[i] = new Float64Array(pair.outputs * P);
      const target = i === last ? out : this.batchBuffers[i];
      pair.forwardBatch(input, P, target, i < last, this.batchMiddle);
      input = target;
    }
  }

  forward(x: Float64Array, out: Float64Array): void {
    let input = x;
    const last = this.pairs.length - 1;
    for (let i = 0; i <= last; i++) {
      const target = i === last ? out : this.buffers[i];
      this.pairs[i].forward(input, target, i < last);
      input = target;
    }
  }

  get keptWeights(): number {
    let total = 0;
    for (const p of this.pairs) total += p.keptWeights;
    return total;
  }
}

function grow<T extends Int32Array | Float64Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}
