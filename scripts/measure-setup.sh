#!/usr/bin/env bash
# Measures a fresh set-up: the README's first command (or, with --tests, its second) run in a
# new Debian 12 root, as on a new machine, and prints the packages it installed, the size of
# the .debs apt downloaded, and the minutes it took, split into phases.
#
#   sudo scripts/measure-setup.sh [--rev REV] [--tests] [--patch FILE] [--keep] [--nice N] [ROOT_DIR]
#
#   --rev REV     the commit to measure (default HEAD), cloned from this repository
#   --tests       time `scripts/setup.sh --tests && ctest --test-dir build --output-on-failure
#                 -j 2` instead of `scripts/setup.sh && build/app/mtcnn detect samples ...`
#   --patch FILE  apply FILE (git apply) to the clone first: a local variant, never committed
#   --keep        keep the root afterwards (unmounted) to look into it
#   --nice N      run the command at nice level N (e.g. -10) and best-effort I/O priority 0,
#                 so that other work on a shared machine slows it less (the default is 0:
#                 the machine's load is then part of the figures)
#   ROOT_DIR      where to build the root; must not exist or be empty (default: a new
#                 directory under /var/tmp/mtcnn-measure/)
#
# What it does, as root:
#   1. installs debootstrap on this machine if it is missing (the only change made outside the
#      root and /var/tmp/mtcnn-measure/);
#   2. debootstraps Debian 12 (bookworm, minbase, from $MIRROR, default http://deb.debian.org/debian)
#      once and keeps it as /var/tmp/mtcnn-measure/bookworm-minbase.tar; every measurement
#      unpacks that pristine base into a new root, so no package of the set-up is installed
#      when it starts (checked); apt sources are bookworm, bookworm-updates and
#      bookworm-security, as on a Debian 12 image, with no package lists yet;
#   3. mounts /proc, /sys, /dev and /dev/pts in the root and copies /etc/resolv.conf into it,
#      and this machine's own CA certificates (/usr/local/share/ca-certificates, as for a TLS
#      proxy in front of the registries), which ca-certificates adds once the set-up installs it;
#   4. clones this repository at REV into /root/mtcnn in the root (tracked files only: no
#      build/, .cache/, weights or samples);
#   5. inside chroot, in /root/mtcnn, runs the README command, timed; setup.sh is traced
#      (through BASH_ENV, the script itself unchanged) so that its steps get timestamps and
#      CPU times:
#        apt       apt-get update, download, unpack and configure (split with dpkg.log)
#        build     cmake configure and build
#        fetch     the npm tarballs (weights, samples) and the weight import
#        detect    the detection on the six samples (with --tests: ctest)
#      and checks that the detection wrote 6 records without error (with --tests, ctest must
#      pass, then the detection runs untimed for the same check);
#   6. prints the figures; always unmounts and deletes the root (trap), and checks that no
#      mount is left under it. The log, the list of packages installed and the trace are kept
#      in /var/tmp/mtcnn-measure/logs/. docs/setup.md has the figures measured with it.
#
# The clock runs on whatever else the machine is doing: the load average is sampled during the
# run and printed, and so is the CPU time the command used, which depends much less on it.
set -euo pipefail

usage() { echo "usage: $0 [--rev REV] [--tests] [--patch FILE] [--keep] [--nice N] [ROOT_DIR]" >&2; exit 2; }
say() { echo "measure-setup: $*" >&2; }
die() { say "$*"; exit 1; }

rev=HEAD
tests=false
patch=
keep=false
nice=0
root=
while (($#)); do
  case $1 in
    --rev) [[ $# -ge 2 ]] || usage; rev=$2; shift 2 ;;
    --tests) tests=true; shift ;;
    --patch) [[ $# -ge 2 ]] || usage; patch=$(realpath "$2"); shift 2 ;;
    --keep) keep=true; shift ;;
    --nice) [[ $# -ge 2 && $2 =~ ^-?[0-9]+$ ]] || usage; nice=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) [[ -z $root ]] || usage; root=$1; shift ;;
  esac
done

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, mount, chroot)"
[[ -z $patch || -f $patch ]] || die "no such patch file: $patch"

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")/.." rev-parse --show-toplevel)
sha=$(git -C "$repo" rev-parse --verify --quiet "$rev^{commit}") || die "unknown revision: $rev"
mirror=${MIRROR:-http://deb.debian.org/debian}
suite=bookworm
variant=minbase
work=/var/tmp/mtcnn-measure
base_tar="$work/$suite-$variant.tar"
mkdir -p "$work/logs"

# --- Cleanup: processes left in the root, mounts, the root itself -----------------------------
created_root=false
load_pid=
mounted=()
mounts_under() { awk -v r="$1" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts; }
# shellcheck disable=SC2317  # run by the trap
cleanup() {
  local status=$? pid m i
  trap - EXIT INT TERM
  set +e
  [[ -n $load_pid ]] && { kill "$load_pid"; wait "$load_pid"; } 2>/dev/null
  if [[ -n $root && -d $root ]]; then
    # Processes whose root is ours (a daemon a package started, say) would hold the mounts.
    for pid in /proc/[0-9]*; do
      [[ $(readlink "$pid/root" 2>/dev/null) == "$root" ]] && kill "${pid#/proc/}" 2>/dev/null
    done
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
      m=${mounted[i]}
      umount "$m" 2>/dev/null || { sleep 1; umount "$m" 2>/dev/null; } || umount -l "$m" ||
        say "cannot unmount $m"
    done
    if [[ -n $(mounts_under "$root") ]]; then
      say "mounts left under $root, NOT deleting it:"; mounts_under "$root" >&2
      status=1
    elif $created_root && ! $keep; then
      rm -rf --one-file-system "$root"
    elif $keep; then
      say "kept the root (unmounted): $root"
    fi
  fi
  [[ -z ${base_tmp:-} || ! -d $base_tmp ]] || { [[ -n $(mounts_under "$base_tmp") ]] ||
    rm -rf --one-file-system "$base_tmp"; }
  if [[ -n $root ]] && mount | grep -qF "$root"; then
    say "check failed: mount | grep $root is not empty"; status=1
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. debootstrap -------------------------------------------------------------------------
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap on this machine"
  apt-get install -y debootstrap >&2 || { apt-get update -qq && apt-get install -y debootstrap >&2; }
fi

# --- 2. The pristine base, made once ----------------------------------------------------------
if [[ ! -f $base_tar ]]; then
  base_tmp=$(mktemp -d "$work/base.XXXXXX")
  say "debootstrap $suite ($variant) from $mirror into $base_tmp (once; kept as $base_tar)"
  debootstrap --variant="$variant" "$suite" "$base_tmp" "$mirror" >"$work/logs/debootstrap.log" 2>&1 ||
    die "debootstrap failed: see $work/logs/debootstrap.log"
  [[ -z $(mounts_under "$base_tmp") ]] || die "debootstrap left mounts under $base_tmp"
  # The sources of a Debian 12 image, and no package lists: the set-up runs apt-get update.
  rm -f "$base_tmp/etc/apt/sources.list"
  cat >"$base_tmp/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # The mirror here serves a dated snapshot, whose bookworm-security Release has expired; the
  # machines' own apt is set the same way (this is about the mirror, not the set-up).
  printf '%s\n' 'Acquire::Check-Valid-Until "false";' 'Acquire::Check-Date "false";' \
    >"$base_tmp/etc/apt/apt.conf.d/99snapshot-mirror"
  rm -rf "$base_tmp"/var/lib/apt/lists/* "$base_tmp"/var/cache/apt/archives/*.deb
  chmod 755 "$base_tmp"   # a root directory, not mktemp's 700 (apt's _apt user must get in)
  tar -C "$base_tmp" -cpf "$base_tar.part" . && mv "$base_tar.part" "$base_tar"
  rm -rf --one-file-system "$base_tmp"
fi

# --- 3. A new root from the base, with /proc, /sys, /dev --------------------------------------
if [[ -z $root ]]; then
  root=$(mktemp -d "$work/root.XXXXXX")
  created_root=true
else
  if [[ -e $root ]]; then
    [[ -d $root && -z $(ls -A "$root") ]] || die "$root exists and is not empty"
  else
    mkdir -p "$root"
  fi
  root=$(realpath "$root")
  created_root=true
fi
say "root: $root"
tar -C "$root" -xpf "$base_tar"
chmod 755 "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This machine's own certificate authorities (a TLS proxy in front of the registries, say), as
# on the machines the set-up runs on: ca-certificates, once the set-up installs it, adds them.
local_cas=("/usr/local/share/ca-certificates/"*.crt)
if [[ -f ${local_cas[0]} ]]; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp "${local_cas[@]}" "$root/usr/local/share/ca-certificates/"
  mkdir -p "$root/root/measure"
  cat "${local_cas[@]}" >"$root/root/measure/local-cas.pem"   # for node (the old set-up's npm)
fi
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
mount --bind /dev "$root/dev" && mounted+=("$root/dev")
mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts")

# --- 4. A clean clone at REV ------------------------------------------------------------------
src="$root/root/mtcnn"
git clone --quiet --no-checkout "$repo" "$src"
git -C "$src" checkout --quiet --detach "$sha" 2>/dev/null || {
  git -C "$src" fetch --quiet origin "$sha" && git -C "$src" checkout --quiet --detach "$sha"; }
if [[ -n $patch ]]; then
  git -C "$src" apply "$patch" || die "cannot apply $patch at ${sha:0:7}"
  say "applied $(basename "$patch") to the clone (not committed)"
fi

# None of the set-up's packages may be there yet.
for p in g++ cmake make curl ca-certificates openssl npm nodejs pkg-config \
         libopencv-dev libopencv-core-dev libopencv-dnn-dev libcli11-dev catch2 python3; do
  # shellcheck disable=SC2016  # dpkg-query's own ${Status}
  if chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    die "the base root already has $p installed: not a fresh root"
  fi
done

# --- 5. The README command, inside the root ---------------------------------------------------
m="$root/root/measure"
mkdir -p "$m"
# Traces setup.sh alone (no other bash script apt or setup runs), each command with the time and
# the CPU time (clock ticks) its finished children have used so far (/proc/PID/stat: cutime+cstime).
cat >"$m/xtrace.sh" <<'EOF'
cpu_ticks() { local s; read -r -a s </proc/$$/stat; echo $((s[15] + s[16])); }
case $0 in
  *scripts/setup.sh) PS4='+${EPOCHREALTIME} $(cpu_ticks) '; exec 9>>/root/measure/trace; BASH_XTRACEFD=9; set -x ;;
esac
EOF
cat >"$m/run.sh" <<'EOF'
#!/bin/bash
# Runs inside the root: the README command, timed. Writes /root/measure/result (key=value).
set -uo pipefail
m=/root/measure
cd /root/mtcnn
count_pkgs() { dpkg-query -W -f='${db:Status-Abbrev}\n' | grep -c '^ii'; }
echo "pkgs_before=$(count_pkgs)" >"$m/result"
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }' | sort >"$m/pkgs-before"
wc -l </var/log/dpkg.log >"$m/dpkglog-lines" 2>/dev/null || echo 0 >"$m/dpkglog-lines"

. "$m/xtrace.sh"   # cpu_ticks, here for this shell's finished children
export BASH_ENV=$m/xtrace.sh
t_start=$EPOCHREALTIME c_start=$(cpu_ticks)
if [[ $1 == tests ]]; then
  scripts/setup.sh --tests; setup_rc=$?
  t_setup=$EPOCHREALTIME c_setup=$(cpu_ticks)
  run_rc=1
  ((setup_rc == 0)) && { ctest --test-dir build --output-on-failure -j 2; run_rc=$?; }
else
  scripts/setup.sh; setup_rc=$?
  t_setup=$EPOCHREALTIME c_setup=$(cpu_ticks)
  run_rc=1
  ((setup_rc == 0)) && { build/app/mtcnn detect samples -o out/detections.jsonl --annotate out/annotated; run_rc=$?; }
fi
t_end=$EPOCHREALTIME c_end=$(cpu_ticks)
unset BASH_ENV
times >"$m/times"   # user and system time of everything the command ran (second line)
cpu=$(tail -n 1 "$m/times")
{
  echo "t_start=$t_start"; echo "t_setup=$t_setup"; echo "t_end=$t_end"
  echo "c_start=$c_start"; echo "c_setup=$c_setup"; echo "c_end=$c_end"; echo "clk_tck=$(getconf CLK_TCK)"
  echo "setup_rc=$setup_rc"; echo "run_rc=$run_rc"; echo "cpu=\"$cpu\""
} >>"$m/result"

# With --tests, the detection runs after the timed command, for the same check.
if [[ $1 == tests && $setup_rc == 0 ]]; then
  build/app/mtcnn detect -q samples -o out/detections.jsonl --annotate out/annotated
  echo "detect_rc=$?" >>"$m/result"
fi
records=$(wc -l 2>/dev/null <out/detections.jsonl || echo 0)
ok_records=$(grep -Ec '"error": ?null' out/detections.jsonl 2>/dev/null || true)
faces=$(grep -o '"box"' out/detections.jsonl 2>/dev/null | wc -l)
annotated=$(find out/annotated -type f ! -name '.*' 2>/dev/null | wc -l)  # not the output-folder marker
ls -lA out/annotated
echo "records=$records" "ok_records=${ok_records:-0}" "faces=$faces" "annotated=$annotated" | tr ' ' '\n' >>"$m/result"

echo "pkgs_after=$(count_pkgs)" >>"$m/result"
dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Installed-Size}\n' | awk '$1 == "ii" { print $2, $3 }' | sort >"$m/pkgs-after"
# dpkg's first line after the set-up started: apt has downloaded everything and starts dpkg.
first=$(tail -n +"$(($(cat "$m/dpkglog-lines") + 1))" /var/log/dpkg.log | awk '{ print $1, $2; exit }')
[[ -n $first ]] && echo "t_dpkg=$(date -d "$first" +%s)" >>"$m/result"
EOF
chmod +x "$m/run.sh"

mode=detect; $tests && mode=tests
tag="$(date -u +%Y%m%dT%H%M%SZ)-${sha:0:7}-$mode${patch:+-$(basename "${patch%.*}")}"
log="$work/logs/$tag.log"
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done) >"$m/load" &
load_pid=$!
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "running the README command for ${sha:0:7} ($mode) in the root; log: $log"
rc=0
node_cas=()
[[ -f $m/local-cas.pem ]] && node_cas=(NODE_EXTRA_CA_CERTS=/root/measure/local-cas.pem)
prio=()
((nice == 0)) || prio=(nice -n "$nice" ionice -c 2 -n 0)
"${prio[@]}" chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 "${node_cas[@]}" \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/bash /root/measure/run.sh "$mode" >"$log" 2>&1 || rc=$?
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
kill "$load_pid" 2>/dev/null; wait "$load_pid" 2>/dev/null || true; load_pid=

# --- 6. Figures -------------------------------------------------------------------------------
[[ -f $m/result ]] || die "the run wrote no result (exit $rc): see $log"
cp "$m/trace" "$work/logs/$tag.trace" 2>/dev/null || true
declare -A r=()
while IFS='=' read -r k v; do r[$k]=${v//\"/}; done <"$m/result"

# Time and CPU ticks at setup.sh's steps, from its trace (first match of each).
stamp() { [[ -f $m/trace ]] || return 0; awk -v re="$1" '{ sub(/^\++/, "") } $0 ~ re { print $1, $2; exit }' "$m/trace"; }
read -r t_update c_update < <(stamp ' apt-get update') || true
read -r t_install _ < <(stamp ' apt-get install') || true
read -r t_build c_build < <(stamp '^[0-9.]+ [0-9]+ cmake -S') || true
read -r t_fetch c_fetch < <(stamp '/scripts/fetch-') || true
t_start=${r[t_start]}; t_setup=${r[t_setup]:-}; t_end=${r[t_end]:-}; t_dpkg=${r[t_dpkg]:-}
c_start=${r[c_start]:-0}; c_setup=${r[c_setup]:-}; c_end=${r[c_end]:-}; hz=${r[clk_tck]:-100}
# The trace counts setup.sh's children, run.sh counts its own: setup.sh's total, on the first scale.
[[ -n $c_setup ]] && c_setup_own=$((c_setup - c_start)) || c_setup_own=
span() { # span FROM TO: seconds between two stamps, or "-" when one is missing
  if [[ -n ${1:-} && -n ${2:-} ]]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; else echo -; fi
}
cpu() { # cpu FROM TO: CPU seconds between two tick counts
  if [[ -n ${1:-} && -n ${2:-} ]]; then awk -v a="$1" -v b="$2" -v hz="$hz" 'BEGIN { printf "%.0f", (b - a) / hz }'; else echo -; fi
}
mins() { if [[ $1 == - ]]; then echo -; else awk -v s="$1" 'BEGIN { printf "%.2f", s / 60 }'; fi; }

new_debs=$(cd "$root/var/cache/apt/archives" && find . -maxdepth 1 -name '*.deb' -printf '%s\n' | wc -l)
deb_bytes=$(cd "$root/var/cache/apt/archives" && find . -maxdepth 1 -name '*.deb' -printf '%s\n' |
  awk '{ s += $1 } END { print s + 0 }')
installed_kb=$(join -v 1 "$m/pkgs-after" "$m/pkgs-before" | awk '{ s += $2 } END { print s + 0 }')
new_pkgs=$((r[pkgs_after] - r[pkgs_before]))
load_avg=$(awk '{ s += $1; n++; if ($1 > max) max = $1 } END { if (n) printf "%.2f (max %.2f, %d samples)", s / n, max, n }' "$m/load")
join -v 1 "$m/pkgs-after" "$m/pkgs-before" | cut -d' ' -f1 >"$work/logs/$tag.packages"

total=$(span "$t_start" "$t_end")
from_apt=$(span "${t_update:-$t_start}" "$t_end")
apt_update=$(span "$t_update" "$t_install")
apt_download=$(span "$t_install" "$t_dpkg")
apt_unpack=$(span "$t_dpkg" "$t_build")
apt_all=$(span "$t_update" "$t_build")
build=$(span "$t_build" "$t_fetch")
fetch=$(span "$t_fetch" "$t_setup")
run=$(span "$t_setup" "$t_end")
run_name=detection; $tests && run_name=ctest

printf '\n== mtcnn set-up in a fresh Debian 12 root: %s (%s)%s\n' "${sha:0:7}" "$mode" \
  "${patch:+, with $(basename "$patch")}"
printf 'command         %s\n' "$($tests && echo 'scripts/setup.sh --tests && ctest --test-dir build --output-on-failure -j 2' ||
  echo 'scripts/setup.sh && build/app/mtcnn detect samples -o out/detections.jsonl --annotate out/annotated')"
printf 'packages        %s installed by the set-up (%s before, %s after), %s MB installed\n' \
  "$new_pkgs" "${r[pkgs_before]}" "${r[pkgs_after]}" "$(awk -v k="$installed_kb" 'BEGIN { printf "%.0f", k / 1024 }')"
printf 'download        %s MB in %s .debs\n' "$(awk -v b="$deb_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')" "$new_debs"
printf 'minutes         %s from the first apt-get to the end of the %s (%s s; %s s for the whole command)\n' \
  "$(mins "$from_apt")" "$run_name" "$from_apt" "$total"
printf '  apt           %4s s (cpu %4s s): update %s s, download %s s, unpack+configure %s s\n' \
  "$apt_all" "$(cpu "$c_update" "$c_build")" "$apt_update" "$apt_download" "$apt_unpack"
printf '  build         %4s s (cpu %4s s)\n' "$build" "$(cpu "$c_build" "$c_fetch")"
printf '  fetch+import  %4s s (cpu %4s s)\n' "$fetch" "$(cpu "$c_fetch" "$c_setup_own")"
printf '  %-13s %4s s (cpu %4s s)\n' "$run_name" "$run" "$(cpu "$c_setup" "$c_end")"
printf 'cpu time        %s (user, system of the whole command; cpu = user + system per step)\n' "${r[cpu]:-?}"
printf 'load average    %s -> %s (1, 5, 15 min); during the run: mean %s; nice %s\n' \
  "$load_start" "$load_end" "$load_avg" "$nice"
printf 'records         %s (%s without error), %s faces, %s annotated copies\n' \
  "${r[records]:-0}" "${r[ok_records]:-0}" "${r[faces]:-0}" "${r[annotated]:-0}"
printf 'log             %s (packages: %s)\n' "$log" "$work/logs/$tag.packages"

status=0
if [[ ${r[setup_rc]:-1} != 0 ]]; then
  say "FAILED: setup.sh exited ${r[setup_rc]:-?}; the end of $log:"; tail -n 25 "$log" >&2; status=1
elif [[ ${r[run_rc]:-1} != 0 ]]; then
  say "FAILED: the $run_name exited ${r[run_rc]:-?}; the end of $log:"; tail -n 25 "$log" >&2; status=1
fi
if [[ ${r[records]:-0} != 6 || ${r[ok_records]:-0} != 6 ]]; then
  say "FAILED: expected 6 records without error in out/detections.jsonl, got ${r[records]:-0} (${r[ok_records]:-0} without error)"
  status=1
fi
((status == 0)) && echo "result          OK"
exit "$status"
