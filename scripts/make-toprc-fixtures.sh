#!/usr/bin/env bash
# Makes the toprc fixtures of test/commands/top/toprc.test.ts with the REAL top.
#
#   scripts/make-toprc-fixtures.sh [OUTDIR [NAME...]]
#
# OUTDIR defaults to test/fixtures/toprc; NAMEs default to every fixture below.
# For each fixture, /usr/bin/top (procps-ng 4.0.2) runs interactively in a
# detached tmux session (private socket "toprc-test", session "toprc-NAME")
# with HOME set to an empty temporary directory; the fixture's keys are typed,
# then `W` writes the configuration and `q` quits. With no ~/.toprc, top 4.0.2
# writes to $HOME/.config/procps/toprc (it creates those directories), which
# this script moves to OUTDIR/NAME/.toprc. Then OUTDIR/NAME/expected-header.txt
# gets the column header line(s) of `HOME=OUTDIR/NAME top -b -n1 -w 200`
# (header only: the rows move), for comparing ptools top's output later.
#
# Keys are sent one at a time and each is waited for: top tcflush()es its input
# after every read(), so a key typed ahead is lost. A key counts as taken when
# top has made a read syscall since it was sent, the tty's input queue is empty
# and top is blocked in pselect6 again (/proc/PID/syscall), polled every 10 ms
# with a cap. Each file is then checked against what its keys must have set (a
# grep); a mismatch regenerates it (3 tries). Re-run it after a change of
# /usr/bin/top and commit the result: the unit tests assert these values.
#
# It needs tmux, python3 (for the FIONREAD ioctl) and root or the same uid as
# top (for /proc/PID/io and /proc/PID/syscall). Nothing else is touched: each
# tmux session is killed by name, the temporary homes are removed.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=${1:-test/fixtures/toprc}
shift || true
SOCK=toprc-test
TOP=/usr/bin/top
T() { nice -n 19 tmux -L "$SOCK" "$@"; }

ALL=(default sort-mem sort-time-reverse sort-shift fields filters toggles scaling cpus-delay colors altscr)
NAMES=("$@")
[ ${#NAMES[@]} -eq 0 ] && NAMES=("${ALL[@]}")

# idle PID SYSCR_BEFORE: waits until top took the key (see above).
idle() {
  python3 - "$1" "$2" <<'PY'
import fcntl, os, struct, sys, termios, time
pid, before = sys.argv[1], int(sys.argv[2])
end = time.monotonic() + 20
def syscr():
    for line in open(f'/proc/{pid}/io'):
        if line.startswith('syscr:'):
            return int(line.split()[1])
    return -1
fd = os.open(f'/proc/{pid}/fd/0', os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
try:
    while True:
        if syscr() > before:
            queued = struct.unpack('i', fcntl.ioctl(fd, termios.FIONREAD, b'\0\0\0\0'))[0]
            if queued == 0 and open(f'/proc/{pid}/syscall').read().startswith('270 '):
                sys.exit(0)
        if time.monotonic() > end:
            sys.exit('top did not take the key within 20 s')
        time.sleep(0.01)
finally:
    os.close(fd)
PY
}

syscr() { awk '/^syscr:/ { print $2 }' "/proc/$1/io"; }

# key SESSION PID TMUX-KEY [-l]: one key (a tmux key name, or a literal with -l).
key() {
  local s=$1 pid=$2 k=$3 lit=${4:-}
  local before
  before=$(syscr "$pid")
  if [ "$lit" = -l ]; then T send-keys -t "$s" -l -- "$k"; else T send-keys -t "$s" "$k"; fi
  idle "$pid" "$before"
}

# text SESSION PID STRING: types STRING one character at a time.
text() {
  local i
  for ((i = 0; i < ${#3}; i++)); do key "$1" "$2" "${3:i:1}" -l; done
}

# The keys of each fixture (after top's first frame), and what they must set.
keys() {
  local s=$1 p=$2
  case $3 in
    default) ;;
    sort-mem) key "$s" "$p" M -l ;;
    sort-time-reverse) key "$s" "$p" T -l; key "$s" "$p" R -l ;;
    sort-shift) key "$s" "$p" '<' -l; key "$s" "$p" '<' -l ;;
    fields)
      # f: field manager, cursor on the sort field (%CPU, 9th); 8 x Up: PID
      # (tmux's Home is not top's key_home under TERM=xterm); Down: USER,
      # d: USER off; 11 x Down: PPID (12th, off); d: PPID on; Right: grab it,
      # 11 x Up: move it to 2nd place; Left: drop; s: sort on it; q: back.
      key "$s" "$p" f -l
      for _ in $(seq 8); do key "$s" "$p" Up; done
      key "$s" "$p" Down; key "$s" "$p" d -l
      for _ in $(seq 11); do key "$s" "$p" Down; done
      key "$s" "$p" d -l; key "$s" "$p" Right
      for _ in $(seq 11); do key "$s" "$p" Up; done
      key "$s" "$p" Left; key "$s" "$p" s -l; key "$s" "$p" q -l ;;
    filters)
      key "$s" "$p" o -l; text "$s" "$p" 'COMMAND=top'; key "$s" "$p" Enter
      key "$s" "$p" O -l; text "$s" "$p" '!USER=nobody'; key "$s" "$p" Enter
      key "$s" "$p" o -l; text "$s" "$p" 'PID>0'; key "$s" "$p" Enter ;;
    toggles) for k in c i S H V J j; do key "$s" "$p" "$k" -l; done ;;
    scaling) for k in E E e e 0; do key "$s" "$p" "$k" -l; done; key "$s" "$p" C-e ;;
    cpus-delay)
      key "$s" "$p" 1 -l; key "$s" "$p" I -l
      key "$s" "$p" d -l; text "$s" "$p" 1.5; key "$s" "$p" Enter
      key "$s" "$p" n -l; text "$s" "$p" 12; key "$s" "$p" Enter ;;
    colors) for k in z x b y B; do key "$s" "$p" "$k" -l; done ;;
    altscr) key "$s" "$p" A -l; key "$s" "$p" a -l; key "$s" "$p" a -l; key "$s" "$p" N -l ;;
    *) echo "unknown fixture $3" >&2; return 2 ;;
  esac
}

# A pattern the written file must contain (extended regex, whole file as one line).
expect() {
  case $1 in
    default) echo 'Id:k, Mode_altscr=0, Mode_irixps=1, Delay_time=3\.0, Curwin=0 Def' ;;
    sort-mem) echo 'winflags=193844, sortindx=21,' ;;
    sort-time-reverse) echo 'winflags=193840, sortindx=20,' ;;
    sort-shift) echo 'winflags=193844, sortindx=27,' ;;
    fields) echo 'fieldscur= +75 +77 +80 .* sortindx=1,' ;;
    # interactive filters are a LIFO stack: the newest is written first
    filters) echo 'window #0, osel_tot=3 type=111, filter=PID>0 type=79, filter=!USER=nobody type=111, filter=COMMAND=top end :' ;;
    toggles) echo 'winflags=325078, sortindx=18,' ;;
    scaling) echo 'Summ_mscale=3, Task_mscale=2, Zero_suppress=1, Tics_scaled=1' ;;
    cpus-delay) echo 'Mode_irixps=0, Delay_time=1\.500, .* winflags=161076, sortindx=18, maxtasks=12,' ;;
    colors) echo 'Def fieldscur=.* winflags=195132, sortindx=18,' ;;
    altscr) echo 'Mode_altscr=1, Mode_irixps=1, Delay_time=3\.0, Curwin=2 .*Mem fieldscur=.* sortindx=0,' ;;
  esac
}

make_one() {
  local name=$1 s="toprc-$1" home pid i
  home=$(mktemp -d /tmp/toprc-fix.XXXXXX)
  T kill-session -t "$s" 2>/dev/null || true
  T new-session -d -s "$s" -x 200 -y 50 \
    "exec env -i HOME=$home TERM=xterm LC_ALL=C PATH=/usr/bin:/bin $TOP"
  T set -sg escape-time 0
  pid=$(T display -p -t "$s" '#{pane_pid}')
  # the first frame is up and top waits for keys
  for ((i = 0; i < 2000; i++)); do
    if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$TOP" ] \
      && T capture-pane -p -t "$s" | grep -q 'PID' \
      && grep -q '^270 ' "/proc/$pid/syscall" 2>/dev/null; then break; fi
    sleep 0.01
  done
  keys "$s" "$pid" "$name"
  key "$s" "$pid" W -l
  # q ends top and with it the session: the file is complete once it is gone
  T send-keys -t "$s" -l q
  for ((i = 0; i < 2000; i++)); do T has-session -t "$s" 2>/dev/null || break; sleep 0.01; done
  T kill-session -t "$s" 2>/dev/null || true
  mkdir -p "$OUT/$name"
  mv "$home/.config/procps/toprc" "$OUT/$name/.toprc"
  rm -rf "$home"
}

for name in "${NAMES[@]}"; do
  for try in 1 2 3; do
    make_one "$name"
    if tr '\n\t' '  ' < "$OUT/$name/.toprc" | tr -s ' ' | grep -Eq "$(expect "$name")"; then break; fi
    echo "$name: try $try did not set what it should, again" >&2
    [ "$try" = 3 ] && { echo "$name: giving up" >&2; exit 1; }
  done
  # the header line(s): each visible window's column header (with
  # Mode_altscr, every window's, led by its number: "1  PID USER ...").
  env -i HOME="$(cd "$OUT/$name" && pwd)" TERM=xterm LC_ALL=C PATH=/usr/bin:/bin \
    nice -n 19 "$TOP" -b -n1 -w 200 | awk '/^([1-4] )? *PID /' > "$OUT/$name/expected-header.txt"
  echo "$name: ok"
done
