// Nesting depth limit for input documents. Deeper values would overflow the stack of the recursive code that walks
// them (the YAML composer, normalisation, report serialisation); no Kubernetes object, AWS CLI output or terraform plan
// comes near it. Both checks are iterative, so they cannot overflow themselves.
import type { CST } from 'yaml';

type Token = CST.Token;

export const MAX_NESTING_DEPTH = 1000;

/** Offset of the first `[` or `{` deeper than the limit in a JSON text, or undefined. Strings are skipped. */
export function jsonTooDeepAt(text: string, limit = MAX_NESTING_DEPTH): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** Offset of the first collection deeper than the limit in one YAML document's CST, or undefined. */
export function yamlTooDeepAt(token: Token, limit = MAX_NESTING_DEPTH): number | undefined {
  const stack: { token: Token; depth: number }[] = [{ token, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { token: t, depth } = next;
    const children: (Token | null | undefined)[] = [];
    let inner = depth;
    switch (t.type) {
      case 'document':
        children.push(t.value);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        inner = depth + 1;
        if (inner > limit) return t.offset;
        for (const item of t.items) children.push(item.key, item.value);
        break;
      case 'block-scalar':
        children.push(...t.props);
        break;
      default:
        break;
    }
    for (const child of children) if (child) stack.push({ token: child, depth: inner });
  }
  return undefined;
}
