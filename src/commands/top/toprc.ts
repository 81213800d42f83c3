/** STUB (replaced by the toprc reader): the contract and Debian's defaults only. */
export const EU_MAXPFLGS = 78;
export const WINFLAGS = {
  View_CPUSUM: 0x008000, View_CPUNOD: 0x400000, View_LOADAV: 0x004000, View_STATES: 0x002000, View_MEMORY: 0x001000,
  View_NOBOLD: 0x000008, View_SCROLL: 0x080000, Show_COLORS: 0x000800, Show_HIBOLD: 0x000400, Show_HICOLS: 0x000200,
  Show_HIROWS: 0x000100, Show_CMDLIN: 0x000080, Show_CTIMES: 0x000040, Show_IDLEPS: 0x000020, Show_TASKON: 0x000010,
  Show_FOREST: 0x000002, Qsrt_NORMAL: 0x000004, Show_JRSTRS: 0x040000, Show_JRNUMS: 0x020000, NOPRINT_xxx: 0x010000,
  EQUWINS_xxx: 0x000001,
} as const;
export interface TopWindowRc {
  readonly name: string;
  readonly fields: readonly { readonly id: number; readonly on: boolean }[];
  readonly winflags: number;
  readonly sortindx: number;
  readonly maxtasks: number;
  readonly graphCpus: number; readonly graphMems: number;
  readonly doubleUp: number; readonly combineCpus: number; readonly coreTypes: number;
  readonly summclr: number; readonly msgsclr: number; readonly headclr: number; readonly taskclr: number;
}
export interface TopRc {
  readonly id: string;
  readonly modeAltscr: number;
  readonly modeIrixps: number;
  readonly delay: number;
  readonly curwin: number;
  readonly windows: readonly TopWindowRc[];
  readonly fixedWidest: number; readonly summMscale: number; readonly taskMscale: number;
  readonly zeroSuppress: number; readonly ticsScaled: number;
  readonly otherFilters: readonly { readonly window: number; readonly include: boolean; readonly raw: string }[];
  readonly source: string;
}
const W = WINFLAGS;
const DEF_WINFLGS = W.View_LOADAV | W.View_STATES | W.View_CPUSUM | W.View_MEMORY | W.Show_HIBOLD | W.Show_HIROWS | W.Show_IDLEPS | W.Show_TASKON | W.Show_JRNUMS | W.Qsrt_NORMAL;
const DEF_FIELDS = [75, 81, 103, 105, 119, 123, 129, 137, 111, 117, 115, 139, 76, 78, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100, 106, 108, 112, 120, 124, 126, 130, 132, 134, 140, 142, 144, 146, 148, 150, 152, 154, 156, 158, 160, 162, 164, 166, 168, 170, 172, 174, 176, 178, 180, 182, 184, 186, 188, 190, 192, 194, 196, 198, 200, 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, 226, 228];
export function defaultToprc(): TopRc {
  const win = (name: string, sortindx: number): TopWindowRc => ({
    name, fields: DEF_FIELDS.map((v) => ({ id: (v >> 1) - 37, on: (v & 1) === 1 })), winflags: DEF_WINFLGS, sortindx, maxtasks: 0,
    graphCpus: 0, graphMems: 0, doubleUp: name === 'Def' ? 1 : 0, combineCpus: 0, coreTypes: 0, summclr: 1, msgsclr: 1, headclr: 3, taskclr: 1,
  });
  return { id: 'k', modeAltscr: 0, modeIrixps: 1, delay: 3, curwin: 0, windows: [win('Def', 18), win('Job', 0), win('Mem', 21), win('Usr', 3)], fixedWidest: 0, summMscale: 1, taskMscale: 0, zeroSuppress: 0, ticsScaled: 0, otherFilters: [], source: '' };
}
export function readToprc(_env: NodeJS.ProcessEnv): { ok: true; rc: TopRc; secure: boolean; restrictedDelay?: number } | { ok: false; message: string; status: number } {
  return { ok: true, rc: defaultToprc(), secure: false };
}
