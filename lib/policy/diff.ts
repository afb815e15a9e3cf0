// Client-safe: the admin's preview and the public "what's changing" page both show it.

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };

/**
 * A line diff by longest common subsequence. Policies are a few hundred lines, so the quadratic
 * table is small; lines are compared after trimming trailing spaces, which nobody sees.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.replace(/\r\n?/g, "\n").split("\n");
  const b = after.replace(/\r\n?/g, "\n").split("\n");
  const key = (s: string) => s.trimEnd();
  // Common head and tail first: most edits touch a few lines, which keeps the table tiny.
  let head = 0;
  while (head < a.length && head < b.length && key(a[head]) === key(b[head])) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    key(a[a.length - 1 - tail]) === key(b[b.length - 1 - tail])
  )
    tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  // lcs[i][j]: length of the common subsequence of am[i..] and bm[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = key(am[i]) === key(bm[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ kind: "same", text }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(am[i]) === key(bm[j])) {
      out.push({ kind: "same", text: bm[j] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // Removals before additions, so a changed line reads old then new.
      out.push({ kind: "removed", text: am[i++] });
    } else {
      out.push({ kind: "added", text: bm[j++] });
    }
  }
  for (const text of b.slice(b.length - tail)) out.push({ kind: "same", text });
  return out;
}

/** How many lines were added and removed. */
export function diffCounts(lines: DiffLine[]): { added: number; removed: number } {
  return {
    added: lines.filter((l) => l.kind === "added").length,
    removed: lines.filter((l) => l.kind === "removed").length,
  };
}

export type DiffHunk = { lines: DiffLine[]; skippedBefore: number };

/** The changed lines with `context` unchanged lines around each change; long unchanged runs are skipped. */
export function diffHunks(lines: DiffLine[], context = 2): { hunks: DiffHunk[]; skippedAfter: number } {
  const keep = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.kind === "same") return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const hunks: DiffHunk[] = [];
  let skipped = 0;
  let current: DiffHunk | null = null;
  lines.forEach((l, i) => {
    if (!keep[i]) {
      skipped++;
      current = null;
      return;
    }
    if (!current) {
      current = { lines: [], skippedBefore: skipped };
      hunks.push(current);
      skipped = 0;
    }
    current.lines.push(l);
  });
  return { hunks, skippedAfter: skipped };
}
