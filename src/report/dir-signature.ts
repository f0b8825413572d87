import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Size and modification time of every file of a results directory (and of runs/<strategy>/ below
 * it), as one string: it changes when a journal grows or a file is written. Reading the folder costs
 * a few stat calls, so the dashboard can poll it often.
 */
export function dirSignature(dir: string, depth = 2): string {
  const parts: string[] = [];
  const walk = (d: string, level: number) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n === 'report.html' || n.includes('.tmp-')) continue;
      const p = join(d, n);
      try {
        const s = statSync(p);
        if (s.isDirectory()) {
          if (level < depth) walk(p, level + 1);
        } else parts.push(`${p}:${s.size}:${s.mtimeMs}`);
      } catch {
        // removed while listing (an atomic rename): the next poll sees the new file
      }
    }
  };
  walk(dir, 0);
  return parts.join('\n');
}
