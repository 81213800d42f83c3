/** kill's listings of signal names (`-l`, `-L`), laid out as procps-ng 4.0.2 prints them. */
import { SIGNALS, type SignalEntry } from '../../core/process/signals.js';

/**
 * procps-ng 4.0.2's `kill -l`: the 31 names separated by spaces, a new line
 * once a line passes 73 columns, a final new line.
 */
export function signalListText(signals: readonly SignalEntry[] = SIGNALS): string {
  let out = '';
  let pos = 0;
  signals.forEach((s, i) => {
    if (i > 0) {
      if (pos > 73) {
        out += '\n';
        pos = 0;
      } else {
        out += ' ';
        pos++;
      }
    }
    out += s.name;
    pos += s.name.length;
  });
  return `${out}\n`;
}

/**
 * procps-ng 4.0.2's `kill -L`: "%2d NAME" cells padded to 11 columns, seven
 * to a line (the last cell of a full line unpadded), a final new line.
 */
export function signalTableText(signals: readonly SignalEntry[] = SIGNALS): string {
  let out = '';
  signals.forEach((s, i) => {
    const cell = `${String(s.number).padStart(2)} ${s.name}`;
    out += (i + 1) % 7 ? cell.padEnd(11) : `${cell}\n`;
  });
  if (signals.length % 7) out += '\n';
  return out;
}
