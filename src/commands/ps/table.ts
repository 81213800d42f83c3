/**
 * ps's tables, as data: every output keyword (procps-ng's format specifiers)
 * with its header, default width, alignment, when it prints (process or
 * thread lines), its printer and its sort item; the named formats (macros)
 * the options expand to; AIX %-descriptors; BSD one-letter sort keys.
 * Adding a keyword is adding one row here (and a printer in printers.ts if
 * it is new).
 */

/**
 * Alignment: R right, L left, U user name (left when names are shown,
 * right when numeric), N unlimited (left, may use the rest of the line),
 * W wchan (left as a name, right as a number), S signal mask (right in 9,
 * or 16 when the line has room).
 */
export type Just = 'R' | 'L' | 'U' | 'N' | 'W' | 'S';
/** When the column prints on -m/m lines: PO process lines only, TO thread lines only, ET every time, AN as needed (every time). */
export type PrintMask = 'PO' | 'TO' | 'ET' | 'AN';

/** [keyword, header, printer, sort item, width, alignment, print mask, width follows pid_max] */
export type FormatRow = readonly [string, string, string, string, number, Just, PrintMask, 1?];

/**
 * One keyword per line: keyword, header, printer, sort item, width,
 * alignment, print mask, and P when the width follows pid_max (the _left...
 * rows are procps's layout test columns). Kept as text: it reads like
 * procps's table and costs next to nothing to load.
 */
const FORMAT_TEXT = `
%cpu         %CPU         pcpu           UTILIZATION        4 R ET
%mem         %MEM         pmem           VM_RSS             4 R PO
_left        LLLLLLLL     t_left         noop               8 L ET
_left2       L2L2L2L2     t_left2        noop               8 L ET
_right       RRRRRRRRRRR  t_right        noop              11 R ET
_right2      R2R2R2R2R2R  t_right2       noop              11 R ET
_unlimited   U            t_unlimited    noop              16 N ET
_unlimited2  U2           t_unlimited2   noop              16 N ET
acflag       ACFLG        nop            noop               5 R AN
acflg        ACFLG        nop            noop               5 R AN
addr         ADDR         nop            noop               4 R AN
addr_1       ADDR         nop            noop               1 L AN
ag_id        AGID         agid           AUTOGRP_ID         5 R AN
ag_nice      AGNI         agnice         AUTOGRP_NICE       4 R AN
alarm        ALARM        nop            noop               5 R AN
argc         ARGC         nop            noop               4 R PO
args         COMMAND      args           CMDLINE           27 N PO
atime        TIME         time           TIME_ALL           8 R ET
blocked      BLOCKED      sigmask        SIGBLOCKED         9 S TO
bnd          BND          nop            noop               1 R TO
bsdstart     START        bsdstart       TICS_BEGAN         6 R ET
bsdtime      TIME         bsdtime        TICS_ALL           6 R ET
c            C            c              UTILIZATION        2 R ET
caught       CAUGHT       sigcatch       SIGCATCH           9 S TO
cgname       CGNAME       cgname         CGNAME            27 N PO
cgroup       CGROUP       cgroup         CGROUP            27 N PO
cgroupns     CGROUPNS     cgroupns       NS_CGROUP         10 R ET
class        CLS          class          SCHED_CLASS        3 L TO
cls          CLS          class          SCHED_CLASS        3 R TO
cmaj_flt     -            nop            noop               1 R AN
cmd          CMD          args           CMDLINE           27 N PO
cmin_flt     -            nop            noop               1 R AN
cnswap       -            nop            noop               1 R AN
comm         COMMAND      comm           CMD               15 N PO
command      COMMAND      args           CMDLINE           27 N PO
context      CONTEXT      context        ID_TGID           31 L ET
cp           CP           cp             UTILIZATION        3 R ET
cpu          CPU          nop            noop               3 R AN
cpuid        CPUID        psr            PROCESSOR          5 R TO
cputime      TIME         time           TIME_ALL           8 R ET
cputimes     TIME         times          TIME_ALL           8 R ET
ctid         CTID         nop            noop               5 R ET
cuc          %CUC         utilization_c  UTILIZATION_C      7 R AN
cursig       CURSIG       nop            noop               6 R AN
cutime       -            nop            TICS_USER_C        1 R AN
cuu          %CUU         utilization    UTILIZATION        6 R AN
cwd          CWD          nop            noop               3 L AN
drs          DRS          drs            VSIZE_BYTES        5 R PO
dsiz         DSIZ         dsiz           VSIZE_BYTES        4 R PO
egid         EGID         egid           ID_EGID            5 R ET
egroup       EGROUP       egroup         ID_EGROUP          8 U ET
eip          EIP          eip            ADDR_CURR_EIP     16 R TO
emul         EMUL         nop            noop              13 L PO
end_code     E_CODE       nop            ADDR_CODE_END     16 R PO
environ      ENVIRONMENT  nop            noop              11 N PO
esp          ESP          esp            ADDR_CURR_ESP     16 R TO
etime        ELAPSED      etime          TIME_ELAPSED      11 R ET
etimes       ELAPSED      etimes         TIME_ELAPSED       7 R ET
euid         EUID         euid           ID_EUID            5 R ET
euser        EUSER        euser          ID_EUSER           8 U ET
exe          EXE          exe            EXE               27 N PO
f            F            flag           FLAGS              1 R ET
fgid         FGID         fgid           FLAGS              5 R ET
fgroup       FGROUP       fgroup         ID_FGROUP          8 U ET
flag         F            flag           FLAGS              1 R ET
flags        F            flag           FLAGS              1 R ET
fname        COMMAND      fname          CMD                8 L PO
fsgid        FSGID        fgid           ID_FGID            5 R ET
fsgroup      FSGROUP      fgroup         ID_FGROUP          8 U ET
fsuid        FSUID        fuid           ID_FUID            5 R ET
fsuser       FSUSER       fuser          ID_FUSER           8 U ET
fuid         FUID         fuid           ID_FUID            5 R ET
fuser        FUSER        fuser          ID_FUSER           8 U ET
gid          GID          egid           ID_EGID            5 R ET
group        GROUP        egroup         ID_EGROUP          8 U ET
ignored      IGNORED      sigignore      SIGIGNORE          9 S TO
inblk        INBLK        nop            noop               5 R AN
inblock      INBLK        nop            noop               5 R AN
intpri       PRI          opri           PRIORITY           3 R TO
ipcns        IPCNS        ipcns          NS_IPC            10 R ET
jid          JID          nop            noop               1 R PO
jobc         JOBC         nop            noop               4 R AN
ktrace       KTRACE       nop            noop               8 R AN
ktracep      KTRACEP      nop            noop               8 R AN
label        LABEL        context        ID_TGID           31 L ET
lastcpu      C            psr            PROCESSOR          3 R TO
lim          LIM          lim            RSS_RLIM           5 R AN
login        LOGNAME      nop            noop               8 L AN
logname      LOGNAME      nop            noop               8 L AN
longtname    TTY          tty8           TTY_NAME           8 L PO
lsession     SESSION      sd_session     SD_SESS           11 L ET
lstart       STARTED      lstart         TICS_BEGAN        24 R ET
luid         LUID         luid           ID_LOGIN           5 R ET
luser        LUSER        nop            noop               8 U ET
lwp          LWP          tasks          ID_PID             5 R TO P
lxc          LXC          lxcname        LXCNAME            8 L ET
m_drs        DRS          drs            VSIZE_BYTES        5 R PO
m_dt         DT           nop            noop               4 R PO
m_lrs        LRS          nop            noop               5 R PO
m_resident   RES          nop            MEM_RES_PGS        5 R PO
m_share      SHRD         nop            MEM_SHR_PGS        5 R PO
m_size       SIZE         size           VSIZE_BYTES        5 R PO
m_swap       SWAP         nop            noop               5 R PO
m_trs        TRS          trs            VSIZE_BYTES        5 R PO
machine      MACHINE      sd_machine     SD_MACH           31 L ET
maj_flt      MAJFL        majflt         FLT_MAJ            6 R AN
majflt       MAJFLT       majflt         FLT_MAJ            6 R AN
min_flt      MINFL        minflt         FLT_MIN            6 R AN
minflt       MINFLT       minflt         FLT_MIN            6 R AN
mntns        MNTNS        mntns          NS_MNT            10 R ET
msgrcv       MSGRCV       nop            noop               6 R AN
msgsnd       MSGSND       nop            noop               6 R AN
mwchan       MWCHAN       nop            noop               6 W TO
netns        NETNS        netns          NS_NET            10 R ET
ni           NI           nice           NICE               3 R TO
nice         NI           nice           NICE               3 R TO
nivcsw       IVCSW        nop            noop               5 R AN
nlwp         NLWP         nlwp           NLWP               4 R PO
nsignals     NSIGS        nop            noop               5 R AN
nsigs        NSIGS        nop            noop               5 R AN
nswap        NSWAP        nop            noop               5 R AN
numa         NUMA         numa           PROCESSOR_NODE     4 R AN
nvcsw        VCSW         nop            noop               5 R AN
nwchan       WCHAN        nop            noop               6 R TO
oom          OOM          oom            OOM_SCORE          4 R TO
oomadj       OOMADJ       oom_adj        OOM_ADJ            5 R TO
opri         PRI          opri           PRIORITY           3 R TO
osz          SZ           nop            noop               2 R PO
oublk        OUBLK        nop            noop               5 R AN
oublock      OUBLK        nop            noop               5 R AN
ouid         OWNER        sd_ouid        SD_OUID            5 L ET
p_ru         P_RU         nop            noop               6 R AN
paddr        PADDR        nop            noop               6 R AN
pagein       PAGEIN       majflt         FLT_MAJ            6 R AN
pcpu         %CPU         pcpu           UTILIZATION        4 R ET
pending      PENDING      sig            SIGNALS            9 S ET
pgid         PGID         pgid           ID_PGRP            5 R PO P
pgrp         PGRP         pgid           ID_PGRP            5 R PO P
pid          PID          procs          ID_TGID            5 R PO P
pidns        PIDNS        pidns          NS_PID            10 R ET
pmem         %MEM         pmem           VM_RSS             4 R PO
poip         -            nop            noop               1 R AN
policy       POL          class          SCHED_CLASS        3 L TO
ppid         PPID         ppid           ID_PPID            5 R PO P
pri          PRI          pri            PRIORITY           3 R TO
pri_api      API          pri_api        PRIORITY           3 R TO
pri_bar      BAR          pri_bar        PRIORITY           3 R TO
pri_baz      BAZ          pri_baz        PRIORITY           3 R TO
pri_foo      FOO          pri_foo        PRIORITY           3 R TO
priority     PRI          priority       PRIORITY           3 R TO
prmgrp       PRMGRP       nop            noop              12 R PO
prmid        PRMID        nop            noop              12 R PO
project      PROJECT      nop            noop              12 L PO
projid       PROJID       nop            noop               5 R PO
pset         PSET         nop            noop               4 R TO
psr          PSR          psr            PROCESSOR          3 R TO
pss          PSS          pss            SMAP_PSS           5 R PO
psxpri       PPR          nop            noop               3 R TO
rbytes       RBYTES       rbytes         IO_READ_BYTES      5 R TO
rchars       RCHARS       rchars         IO_READ_CHARS      5 R TO
re           RE           nop            noop               3 R AN
resident     RES          nop            MEM_RES_PGS        5 R PO
rgid         RGID         rgid           ID_RGID            5 R ET
rgroup       RGROUP       rgroup         ID_RGROUP          8 U ET
rlink        RLINK        nop            noop               8 R AN
rops         ROPS         rops           IO_READ_OPS        5 R TO
rss          RSS          rss            VM_RSS             5 R PO
rssize       RSS          rss            VM_RSS             5 R PO
rsz          RSZ          rss            VM_RSS             5 R PO
rtprio       RTPRIO       rtprio         PRIORITY_RT        6 R TO
ruid         RUID         ruid           ID_RUID            5 R ET
ruser        RUSER        ruser          ID_RUSER           8 U ET
s            S            s              STATE              1 L TO
sched        SCH          sched          SCHED_CLASS        3 R TO
scnt         SCNT         nop            noop               4 R AN
scount       SC           nop            noop               4 R AN
seat         SEAT         sd_seat        SD_SEAT           11 L ET
sess         SESS         sess           ID_SESSION         5 R PO P
session      SESS         sess           ID_SESSION         5 R PO P
sgi_p        P            sgi_p          STATE              1 R TO
sgi_rss      RSS          rss            VM_RSS             4 L PO
sgid         SGID         sgid           ID_SGID            5 R ET
sgroup       SGROUP       sgroup         ID_SGROUP          8 U ET
share        -            nop            noop               1 R PO
sid          SID          sess           ID_SESSION         5 R PO P
sig          PENDING      sig            SIGNALS            9 S ET
sig_block    BLOCKED      sigmask        SIGBLOCKED         9 S TO
sig_catch    CATCHED      sigcatch       SIGCATCH           9 S TO
sig_ignore   IGNORED      sigignore      SIGIGNORE          9 S TO
sig_pend     SIGNAL       sig            SIGNALS            9 S ET
sigcatch     CAUGHT       sigcatch       SIGCATCH           9 S TO
sigignore    IGNORED      sigignore      SIGIGNORE          9 S TO
sigmask      BLOCKED      sigmask        SIGBLOCKED         9 S TO
size         SIZE         swapable       VSIZE_BYTES        5 R PO
sl           SL           nop            noop               3 R AN
slice        SLICE        sd_slice       SD_SLICE          31 L ET
spid         SPID         tasks          ID_PID             5 R TO P
stackp       STACKP       stackp         ADDR_STACK_START  16 R PO
start        STARTED      start          TICS_BEGAN         8 R ET
start_code   S_CODE       nop            ADDR_CODE_START   16 R PO
start_stack  STACKP       stackp         ADDR_STACK_START  16 R PO
start_time   START        stime          TICS_BEGAN         5 R ET
stat         STAT         stat           STATE              4 L TO
state        S            s              STATE              1 L TO
status       STATUS       nop            noop               6 R AN
stime        STIME        stime          TICS_BEGAN         5 R ET
suid         SUID         suid           ID_SUID            5 R ET
supgid       SUPGID       supgid         SUPGIDS           20 N PO
supgrp       SUPGRP       supgrp         SUPGROUPS         40 N PO
suser        SUSER        suser          ID_SUSER           8 U ET
svgid        SVGID        sgid           ID_SGID            5 R ET
svgroup      SVGROUP      sgroup         ID_SGROUP          8 U ET
svuid        SVUID        suid           ID_SUID            5 R ET
svuser       SVUSER       suser          ID_SUSER           8 U ET
systime      SYSTEM       nop            noop               6 R ET
sz           SZ           sz             VM_SIZE            5 R PO
taskid       TASKID       nop            noop               5 R TO P
tdev         TDEV         nop            noop               4 R AN
tgid         TGID         procs          ID_TGID            5 R PO P
thcount      THCNT        nlwp           NLWP               5 R PO
tid          TID          tasks          ID_PID             5 R TO P
time         TIME         time           TIME_ALL           8 R ET
timens       TIMENS       timens         NS_TIME           10 R ET
timeout      TMOUT        nop            noop               5 R AN
times        TIME         times          TIME_ALL           8 R ET
tmout        TMOUT        nop            noop               5 R AN
tname        TTY          tty8           TTY_NAME           8 L PO
tpgid        TPGID        tpgid          ID_TPGID           5 R PO P
trs          TRS          trs            VSIZE_BYTES        4 R PO
trss         TRSS         trs            VSIZE_BYTES        4 R PO
tsess        TSESS        nop            noop               5 R PO P
tsession     TSESS        nop            noop               5 R PO P
tsid         TSID         nop            noop               5 R PO P
tsig         PENDING      tsig           SIGPENDING         9 S ET
tsiz         TSIZ         tsiz           VSIZE_BYTES        4 R PO
tt           TT           tty8           TTY_NAME           8 L PO
tty          TT           tty8           TTY_NAME           8 L PO
tty4         TTY          tty4           TTY_NAME           4 L PO
tty8         TTY          tty8           TTY_NAME           8 L PO
u_procp      UPROCP       nop            noop               6 R AN
ucmd         CMD          comm           CMD               15 N PO
ucomm        COMMAND      comm           CMD               15 N PO
uid          UID          euid           ID_EUID            5 R ET
uid_hack     UID          euser          ID_EUSER           8 U ET
umask        UMASK        nop            noop               5 R AN
uname        USER         euser          ID_EUSER           8 U ET
unit         UNIT         sd_unit        SD_UNIT           31 L ET
upr          UPR          nop            noop               3 R TO
uprocp       UPROCP       nop            noop               8 R AN
user         USER         euser          ID_EUSER           8 U ET
userns       USERNS       userns         NS_USER           10 R ET
usertime     USER         nop            noop               4 R ET
usrpri       UPR          nop            noop               3 R TO
uss          USS          uss            SMAP_PRV_TOTAL     5 R PO
util         C            c              UTILIZATION        2 R ET
utime        UTIME        nop            TICS_USER          6 R ET
utsns        UTSNS        utsns          NS_UTS            10 R ET
uunit        UUNIT        sd_uunit       SD_UUNIT          31 L ET
vm_data      DATA         nop            VM_DATA            5 R PO
vm_exe       EXE          nop            VM_EXE             5 R PO
vm_lib       LIB          nop            VM_LIB             5 R PO
vm_lock      LCK          nop            VM_RSS_LOCKED      3 R PO
vm_stack     STACK        nop            VM_STACK           5 R PO
vsize        VSZ          vsz            VSIZE_BYTES        6 R PO
vsz          VSZ          vsz            VM_SIZE            6 R PO
wbytes       WBYTES       wbytes         IO_WRITE_BYTES     5 R TO
wcbytes      WCBYTES      wcbytes        IO_WRITE_CBYTES    5 R TO
wchan        WCHAN        wchan          WCHAN_NAME         6 W TO
wchars       WCHARS       wchars         IO_WRITE_CHARS     5 R TO
wname        WCHAN        wchan          WCHAN_NAME         6 W TO
wops         WOPS         wops           IO_WRITE_OPS       5 R TO
xstat        XSTAT        nop            noop               5 R AN
zone         ZONE         context        ID_TGID           31 L ET
zoneid       ZONEID       nop            noop              31 R ET
`;

let rows: FormatRow[] | undefined;

/** The keyword table, parsed on first use. */
export function formatRows(): readonly FormatRow[] {
  if (!rows) {
    rows = [];
    for (const line of FORMAT_TEXT.split('\n')) {
      if (!line) continue;
      const [spec, head, printer, item, width, just, mask, pid] = line.split(/ +/) as [string, string, string, string, string, Just, PrintMask, string?];
      rows.push(pid ? [spec, head, printer, item, Number(width), just, mask, 1] : [spec, head, printer, item, Number(width), just, mask]);
    }
  }
  return rows;
}

/** Named formats: the options' column lists (BSD u is OL_u, -f is generated, ...). */
export const MACROS: Readonly<Record<string, string>> = {
  DFMT: 'pid,tname,state,cputime,cmd',
  DefBSD: 'pid,tname,stat,bsdtime,args',
  DefSysV: 'pid,tname,time,cmd',
  END_BSD: 'state,tname,cputime,comm',
  END_SYS5: 'state,tname,time,command',
  F5FMT: 'uname,pid,ppid,c,start,tname,time,cmd',
  FB_: 'pid,tt,stat,time,command',
  FB_j: 'user,pid,ppid,pgid,sess,jobc,stat,tt,time,command',
  FB_l: 'uid,pid,ppid,cpu,pri,nice,vsz,rss,wchan,stat,tt,time,command',
  FB_u: 'user,pid,pcpu,pmem,vsz,rss,tt,stat,start,time,command',
  FB_v: 'pid,stat,time,sl,re,pagein,vsz,rss,lim,tsiz,pcpu,pmem,command',
  FD_: 'pid,tty,time,comm',
  FD_f: 'user,pid,ppid,start_time,tty,time,comm',
  FD_fj: 'user,pid,ppid,start_time,tty,time,pgid,sid,comm',
  FD_j: 'pid,tty,time,pgid,sid,comm',
  FD_l: 'flags,state,uid,pid,ppid,priority,nice,vsz,wchan,tty,time,comm',
  FD_lj: 'flags,state,uid,pid,ppid,priority,nice,vsz,wchan,tty,time,pgid,sid,comm',
  FL5FMT: 'f,state,uid,pid,ppid,pcpu,pri,nice,rss,wchan,start,time,command',
  FLASK_context: 'pid,context,command',
  HP_: 'pid,tty,time,comm',
  HP_f: 'user,pid,ppid,cpu,stime,tty,time,args',
  HP_fl: 'flags,state,user,pid,ppid,cpu,intpri,nice,addr,sz,wchan,stime,tty,time,args',
  HP_l: 'flags,state,uid,pid,ppid,cpu,intpri,nice,addr,sz,wchan,tty,time,comm',
  J390: 'pid,sid,pgrp,tname,atime,args',
  JFMT: 'user,pid,ppid,pgid,sess,jobc,state,tname,cputime,command',
  L5FMT: 'f,state,uid,pid,ppid,c,pri,nice,addr,sz,wchan,tt,time,ucmd',
  LFMT: 'uid,pid,ppid,cp,pri,nice,vsz,rss,wchan,state,tname,cputime,command',
  OL_X: 'pid,start_stack,esp,eip,timeout,alarm,stat,tname,bsdtime,args',
  OL_j: 'ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args',
  OL_l: 'flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args',
  OL_m: 'pid,tname,majflt,minflt,m_trs,m_drs,m_size,m_swap,rss,m_share,vm_lib,m_dt,args',
  OL_s: 'uid,pid,pending,sig_block,sig_ignore,caught,stat,tname,bsdtime,args',
  OL_u: 'user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args',
  OL_v: 'pid,tname,stat,bsdtime,maj_flt,m_trs,m_drs,rss,pmem,args',
  RD_: 'pid,tname,state,bsdtime,comm',
  RD_f: 'uid,pid,ppid,start_time,tname,bsdtime,args',
  RD_fj: 'uid,pid,ppid,start_time,tname,bsdtime,pgid,sid,args',
  RD_j: 'pid,tname,state,bsdtime,pgid,sid,comm',
  RD_l: 'flags,state,uid,pid,ppid,priority,nice,wchan,tname,bsdtime,comm',
  RD_lj: 'flags,state,uid,pid,ppid,priority,nice,wchan,tname,bsdtime,pgid,sid,comm',
  RUSAGE: 'minflt,majflt,nswap,inblock,oublock,msgsnd,msgrcv,nsigs,nvcsw,nivcsw',
  SCHED: 'user,pcpu,pri,usrpri,nice,psxpri,psr,policy,pset',
  SFMT: 'uid,pid,cursig,sig,sigmask,sigignore,sigcatch,stat,tname,command',
  Std_f: 'uid_hack,pid,ppid,c,stime,tname,time,cmd',
  Std_fl: 'f,s,uid_hack,pid,ppid,c,opri,ni,addr,sz,wchan,stime,tname,time,cmd',
  Std_l: 'f,s,uid,pid,ppid,c,opri,ni,addr,sz,wchan,tname,time,ucmd',
  THREAD: 'user,pcpu,pri,scnt,wchan,usertime,systime',
  UFMT: 'uname,pid,pcpu,pmem,vsz,rss,tt,state,start,time,command',
  VFMT: 'pid,tt,state,time,sl,pagein,vsz,rss,pcpu,pmem,command',
};

/** AIX format descriptors (ps -o '%p %c'): letter → [keyword, header]. */
export const AIX: Readonly<Record<string, readonly [string, string]>> = {
  C: ['pcpu', '%CPU'],
  G: ['group', 'GROUP'],
  P: ['ppid', 'PPID'],
  U: ['user', 'USER'],
  a: ['args', 'COMMAND'],
  c: ['comm', 'COMMAND'],
  g: ['rgroup', 'RGROUP'],
  n: ['nice', 'NI'],
  p: ['pid', 'PID'],
  r: ['pgid', 'PGID'],
  t: ['etime', 'ELAPSED'],
  u: ['ruser', 'RUSER'],
  x: ['time', 'TIME'],
  y: ['tty', 'TTY'],
  z: ['vsz', 'VSZ'],
};

/** BSD O/k one-letter sort keys → keyword. */
export const SHORT_SORT: Readonly<Record<string, string>> = {
  C: 'pcpu',
  G: 'tpgid',
  J: 'cstime',
  M: 'maj_flt',
  N: 'cmaj_flt',
  P: 'ppid',
  R: 'resident',
  S: 'share',
  T: 'start_time',
  U: 'uid',
  c: 'cmd',
  f: 'flags',
  g: 'pgrp',
  j: 'cutime',
  k: 'utime',
  m: 'min_flt',
  n: 'cmin_flt',
  o: 'session',
  p: 'pid',
  r: 'rss',
  s: 'size',
  t: 'tty',
  u: 'user',
  v: 'vsize',
  y: 'priority',
};
