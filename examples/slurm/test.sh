#!/usr/bin/env bash
# End-to-end test on a real Slurm cluster (single node on localhost): installs Slurm and
# munge from Debian's packages, starts the daemons, submits a 3-task job array of a small
# trial plus a merge job depending on it, and checks the merged files equal a one-machine
# run byte for byte. Anything failing before the first sbatch skips the test (one line,
# exit 0); once jobs run, a wrong or missing result fails (exit 1).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/lth-slurm.XXXXXX)"
CONF="$WORK/slurm.conf"
export SLURM_CONF="$CONF"
skip() { echo "Slurm test skipped: $*"; cleanup; exit 0; }
fail() { echo "Slurm test FAILED: $*"; for f in "$WORK"/out/*.log "$WORK"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done; cleanup; exit 1; }
cleanup() {
  for pid in "$WORK/slurmd.pid" "$WORK/slurmctld.pid"; do
    [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null
  done
  [ -n "${MUNGE_STARTED:-}" ] && [ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null
  sleep 1
}

# --- install (idempotent) ---
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" != 0 ]; then skip "Slurm is not installed and we are not root"; fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge) > "$WORK/apt.log" 2>&1 \
    || skip "apt-get install slurm-wlm munge failed (see $WORK/apt.log)"
fi
[ -f "$ROOT/dist/src/cli.js" ] || skip "the project is not built (npm run build)"

# --- munge ---
mkdir -p /run/munge /var/log/munge /etc/munge
if [ ! -f /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null || skip "cannot create a munge key"
fi
chown -R munge:munge /run/munge /var/log/munge /etc/munge 2>/dev/null
chmod 0400 /etc/munge/munge.key
if ! munge -n >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged || skip "munged did not start"
  MUNGE_STARTED=1
  for _ in $(seq 20); do munge -n >/dev/null 2>&1 && break; sleep 0.5; done
  munge -n >/dev/null 2>&1 || skip "munged is not answering"
fi

# --- slurm: a one-node cluster on localhost ---
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/out"
cat > "$CONF" <<CONF
ClusterName=lth
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
SlurmctldPort=6917
SlurmdPort=6918
NodeName=localhost CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$CONF" || skip "slurmctld did not start (see $WORK/slurmctld.log)"
slurmd -f "$CONF" || skip "slurmd did not start (see $WORK/slurmd.log)"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)' && break
  sleep 0.5
done
sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)' || skip "the node did not come up (sinfo: $(sinfo -h -o %T 2>&1 | head -1))"

# --- the jobs ---
TRIAL="$WORK/trial.json"
cat > "$TRIAL" <<JSON
{"name": "cluster", "experiment": "weight-lemma", "seeds": 3000, "delta": 0.1,
 "params": {"w": [0.5, "uniform"], "epsilon": 0.1, "k": [30, 300]}}
JSON
export LTH_ROOT="$ROOT" LTH_TRIALS="$TRIAL" LTH_OUT="$WORK/out"
cd "$WORK/out"
ARRAY=$(sbatch --parsable --array=0-2 "$ROOT/examples/slurm/array.sbatch") || skip "sbatch of the array failed"
echo "Slurm test: submitted array job $ARRAY (3 shards)"
timeout 300 sbatch --wait --dependency=afterok:"$ARRAY" "$ROOT/examples/slurm/merge.sbatch" > "$WORK/merge-submit.log" 2>&1 \
  || fail "the merge job did not succeed within 300 s ($(cat "$WORK/merge-submit.log"))"

node "$ROOT/dist/src/cli.js" run "$TRIAL" --out "$WORK/one-machine" --quiet || fail "the one-machine run failed"
for f in trials.csv summary.csv; do
  cmp -s "$WORK/out/merged/cluster/$f" "$WORK/one-machine/cluster/$f" || fail "merged $f differs from the one-machine run"
done
echo "Slurm test passed: 3 array tasks + merge on a one-node cluster equal a one-machine run byte for byte"
cleanup
rm -rf "$WORK"
exit 0
