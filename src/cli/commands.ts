/** The list of commands. Adding a tool is one line here plus its module. */
import { register } from './registry.js';

// The fourth argument: what the namesake does when writing stdout fails (default: `prog: write error: <strerror>`, status 1).

register('ps', 'report a snapshot of the current processes (procps-ng ps)', () => import('../commands/ps/index.js'));
register('free', 'display amount of free and used memory (procps-ng free)', () => import('../commands/free/index.js'));
register('df', 'report file system space usage (coreutils df)', () => import('../commands/df/index.js'));
register('uptime', 'tell how long the system has been running (procps-ng uptime)', () => import('../commands/uptime/index.js'));
register('who', 'show who is logged on (coreutils who)', () => import('../commands/who/index.js'));
register('kill', 'send a signal to a process (procps-ng kill)', () => import('../commands/kill/index.js'), { style: 'none', status: 0 });
register('nice', 'run a program with modified scheduling priority (coreutils nice)', () => import('../commands/nice/index.js'), { style: 'strerror', status: 125 });
register('taskset', "set or retrieve a process's CPU affinity (util-linux taskset)", () => import('../commands/taskset/index.js'), { style: 'strerror', status: 1, ignoreEbadf: true });
register('netstat', 'print network connections, routing tables, interface statistics (net-tools netstat)', () => import('../commands/netstat/index.js'), { style: 'none', status: 0 });
register('ifconfig', 'show network interfaces (net-tools ifconfig)', () => import('../commands/ifconfig/index.js'), { style: 'none', status: 0 });
register('pmap', 'report memory map of a process (procps-ng pmap)', () => import('../commands/pmap/index.js'));
