#!/usr/bin/env bash
# Brings up a single-node Slurm cluster on this Debian 12 machine, for trying job arrays
# (docs/examples/slurm-array.sh, docs/scale-out.md) and for the test suite: munged, slurmctld and
# slurmd on localhost, as root, with their configuration, key, sockets, state and logs in one
# state folder rather than in /etc, /var and /run. Installs the Debian packages slurm-wlm and
# munge when they are missing. Safe to run again: a cluster of this state folder that is up is
# left as it is.
#
#   scripts/slurm-local.sh           start (or find running); prints how to use and stop it
#   scripts/slurm-local.sh stop      cancels its jobs, stops the daemons it started (by the
#                                    process ids recorded in the state folder)
#   scripts/slurm-local.sh status    says whether its daemons run
#
#   SLURM_LOCAL_DIR   the state folder (default: ${TMPDIR:-/tmp}/mtcnn-slurm-local)
#   SLURM_LOCAL_PORT  slurmctld's port; slurmd takes the next one (default: 16817)
#
# Then: export SLURM_CONF=$SLURM_LOCAL_DIR/slurm.conf, and sbatch, squeue, sinfo, scancel use it.
# Only the packages' files go to the system's folders. Installing them on a machine run by
# systemd also enables (and starts) Debian's own munge service with /etc/munge/munge.key; this
# cluster does not use it (its munged has a key and a socket of its own).
set -euo pipefail

action=${1:-start}
case "$action" in
  start | stop | status) ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac

dir=${SLURM_LOCAL_DIR:-${TMPDIR:-/tmp}/mtcnn-slurm-local}
port=${SLURM_LOCAL_PORT:-16817}
conf="$dir/slurm.conf"
say() { echo "slurm-local: $*" >&2; }
daemons=(munged slurmctld slurmd)

# The process id recorded for a daemon, if that process still runs that program.
running_pid() {
  local name=$1 pid
  [[ -r "$dir/pids/$name" ]] || return 1
  pid=$(<"$dir/pids/$name")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]] || return 1
  echo "$pid"
}

stop_daemon() {
  local name=$1 pid
  pid=$(running_pid "$name") || { rm -f "$dir/pids/$name"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    [[ -d /proc/$pid ]] && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]] || break
    sleep 0.1
  done
  if running_pid "$name" >/dev/null; then
    say "$name ($pid) did not stop on SIGTERM within 10 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pids/$name"
  say "stopped $name ($pid)"
}

stop_cluster() {
  # Jobs first: their slurmstepd processes are not children of slurmd and would outlive it.
  if running_pid slurmctld >/dev/null; then
    local jobs
    jobs=$(SLURM_CONF="$conf" squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ') || true
    if [[ -n ${jobs// /} ]]; then
      say "cancelling jobs $jobs"
      # shellcheck disable=SC2086  # one job id per word
      SLURM_CONF="$conf" scancel $jobs 2>/dev/null || true
      for _ in $(seq 60); do
        [[ -z "$(SLURM_CONF="$conf" squeue -h -o %A 2>/dev/null)" ]] && break
        sleep 0.5
      done
    fi
  fi
  stop_daemon slurmd
  stop_daemon slurmctld
  stop_daemon munged
}

if [[ $action == status ]]; then
  up=0
  for name in "${daemons[@]}"; do
    if pid=$(running_pid "$name"); then echo "$name: running ($pid)"; up=$((up + 1))
    else echo "$name: not running"; fi
  done
  ((up == ${#daemons[@]}))
  exit
fi

if [[ $action == stop ]]; then
  [[ -d $dir ]] || { say "nothing to stop (no $dir)"; exit 0; }
  stop_cluster
  exit 0
fi

# --- start --------------------------------------------------------------------------------
if [[ $(id -u) -ne 0 ]]; then
  say "needs root (the daemons run as root; packages may need installing)"
  exit 2
fi

usage() {
  cat >&2 <<EOF
slurm-local: up (state, configuration and logs in $dir)
  use it:   export SLURM_CONF=$conf
            sinfo; sbatch --array=0-3 docs/examples/slurm-array.sh; squeue
  stop it:  SLURM_LOCAL_DIR=$dir $0 stop
EOF
}

all_up=true
for name in "${daemons[@]}"; do running_pid "$name" >/dev/null || all_up=false; done
if $all_up; then
  say "already running"
  usage
  exit 0
fi
# Part of a cluster left over (a daemon died): start again from nothing but the key.
[[ -d $dir/pids ]] && stop_cluster

missing=()
for p in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

for p in "$port" "$((port + 1))"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    say "port $p is taken (another Slurm?): choose others with SLURM_LOCAL_PORT=N"
    exit 2
  fi
done

# munged checks the permissions of every folder above its key and socket: none may be writable
# by others (unless sticky, as /tmp is), and the socket's folder must be open to all.
mkdir -p "$dir"/{pids,log,munge,slurmctld,slurmd}
chmod 755 "$dir" "$dir/munge"
key="$dir/munge/munge.key"
if [[ ! -s $key ]]; then
  (umask 077 && head -c 1024 /dev/urandom >"$key")
  chmod 400 "$key"
fi
socket="$dir/munge/munge.socket"

# The node as slurmd sees this machine (name, CPUs, sockets, cores, memory).
node=$(slurmd -C | head -n 1)
host=$(hostname -s)
# An empty SPANK plug-in list: the default, /etc/slurm/plugstack.conf, is the system's.
: >"$dir/plugstack.conf"
cat >"$conf" <<EOF
# Written by scripts/slurm-local.sh: a one-node cluster on this machine, all state in $dir.
ClusterName=mtcnn-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/slurmctld
SlurmdSpoolDir=$dir/slurmd
SlurmctldPidFile=$dir/slurmctld/slurmctld.pid
SlurmdPidFile=$dir/slurmd/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
PlugStackConfig=$dir/plugstack.conf
# No cgroups, no accounting database: processes are tracked by their parents.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
# A preempted or cancelled task gets SIGTERM, then SIGKILL this many seconds later.
KillWait=30
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

# Each daemon forks into the background and writes its process id; we keep our own copy.
wait_for_file() {
  for _ in $(seq 100); do [[ -s $1 ]] && return 0; sleep 0.1; done
  say "$2 did not start; its log: $3"
  tail -n 20 "$3" >&2 || true
  return 1
}
rm -f "$dir/munge/munged.pid" "$dir/slurmctld/slurmctld.pid" "$dir/slurmd/slurmd.pid"
# A start that fails half-way stops what it had started.
trap 'status=$?; ((status == 0)) || { say "start failed: stopping what it started"; stop_cluster; }' EXIT

munged --key-file="$key" --socket="$socket" --pid-file="$dir/munge/munged.pid" \
  --seed-file="$dir/munge/munged.seed" --log-file="$dir/log/munged.log"
wait_for_file "$dir/munge/munged.pid" munged "$dir/log/munged.log"
cp "$dir/munge/munged.pid" "$dir/pids/munged"

export SLURM_CONF="$conf"
slurmctld -f "$conf"
wait_for_file "$dir/slurmctld/slurmctld.pid" slurmctld "$dir/log/slurmctld.log"
cp "$dir/slurmctld/slurmctld.pid" "$dir/pids/slurmctld"

slurmd -f "$conf"
wait_for_file "$dir/slurmd/slurmd.pid" slurmd "$dir/log/slurmd.log"
cp "$dir/slurmd/slurmd.pid" "$dir/pids/slurmd"

# Ready when the node has registered and takes jobs.
for _ in $(seq 60); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -n 1) || state=
  [[ $state == idle || $state == mix || $state == alloc ]] && break
  sleep 0.5
done
if [[ $state != idle && $state != mix && $state != alloc ]]; then
  say "the node did not come up (state '${state:-none}'); logs in $dir/log"
  tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
  exit 1
fi
trap - EXIT
usage
