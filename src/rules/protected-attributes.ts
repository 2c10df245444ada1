import type { ASTNode } from '@marcbachmann/cel-js';

/**
 * Attributes an indicator must never rest on alone (EU PNR practice: criteria must not
 * discriminate): nationality, sex and age, and what is derived from them.
 */
export const PROTECTED_FIELDS: ReadonlySet<string> = new Set([
  'event.traveller.nationality',
  'event.traveller.sex',
  'event.traveller.dateOfBirth',
  'derived.ageYears',
  'derived.nationalityMatchesIssuer',
]);

interface Verdict {
  /** Every way of satisfying the condition involves a field that is not protected. */
  needsOther: boolean;
  /** The condition reads at least one protected field. */
  readsProtected: boolean;
}

/** The protected fields a CEL condition could fire on alone, or an empty list when it cannot. */
export function protectedOnlyCel(ast: ASTNode): string[] {
  const seen = new Set<string>();
  const verdict = celVerdict(ast, seen);
  return verdict.readsProtected && !verdict.needsOther ? [...seen] : [];
}

const and = (a: Verdict, b: Verdict): Verdict => ({ needsOther: a.needsOther || b.needsOther, readsProtected: a.readsProtected || b.readsProtected });
const or = (a: Verdict, b: Verdict): Verdict => ({ needsOther: a.needsOther && b.needsOther, readsProtected: a.readsProtected || b.readsProtected });

function leaf(fields: Iterable<string>, seen: Set<string>): Verdict {
  let other = false;
  let prot = false;
  for (const f of fields) {
    if (PROTECTED_FIELDS.has(f)) {
      prot = true;
      seen.add(f);
    } else other = true;
  }
  return { needsOther: other, readsProtected: prot };
}

function celVerdict(node: ASTNode, seen: Set<string>): Verdict {
  switch (node.op) {
    case '&&':
      return and(celVerdict(node.args[0], seen), celVerdict(node.args[1], seen));
    case '||':
      return or(celVerdict(node.args[0], seen), celVerdict(node.args[1], seen));
    case '!_':
      return celVerdict(node.args, seen);
    case '?:': {
      const [c, a, b] = node.args.map((n) => celVerdict(n, seen)) as [Verdict, Verdict, Verdict];
      return or(and(c, a), and(c, b));
    }
    default:
      return leaf(celFields(node), seen);
  }
}

/** Dotted paths rooted at `event` or `derived` that a CEL expression reads. */
function celFields(node: ASTNode): string[] {
  const out: string[] = [];
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object' || !('op' in n)) {
      if (Array.isArray(n)) n.forEach(visit);
      return;
    }
    const path = memberPath(n as ASTNode);
    if (path) {
      out.push(path);
      return;
    }
    visit((n as ASTNode).args);
  };
  visit(node);
  return out;
}

function memberPath(node: ASTNode): string | undefined {
  if (node.op === 'id') return node.args === 'event' || node.args === 'derived' ? node.args : undefined;
  if (node.op !== '.') return undefined;
  const base = memberPath(node.args[0]);
  return base === undefined ? undefined : `${base}.${node.args[1]}`;
}
