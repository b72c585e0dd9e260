/**
 * The values an EDN reader produces. Keywords and symbols are interned objects (one instance per
 * name), so they compare with `===` and can key a Map without allocating per occurrence. Vectors
 * and lists both become arrays, maps a Map, sets a Set; characters become one-character strings;
 * tagged literals (`#inst "..."`, `#jepsen.history.Op{...}`) become the value they tag.
 */

export class EdnKeyword {
  private static readonly interned = new Map<string, EdnKeyword>();
  /** The name without the colon, namespace included ("jepsen/op"). */
  private constructor(readonly name: string) {}

  static of(name: string): EdnKeyword {
    let keyword = EdnKeyword.interned.get(name);
    if (keyword === undefined) {
      keyword = new EdnKeyword(name);
      EdnKeyword.interned.set(name, keyword);
    }
    return keyword;
  }

  toString(): string {
    return `:${this.name}`;
  }
}

export class EdnSymbol {
  private static readonly interned = new Map<string, EdnSymbol>();
  private constructor(readonly name: string) {}

  static of(name: string): EdnSymbol {
    let symbol = EdnSymbol.interned.get(name);
    if (symbol === undefined) {
      symbol = new EdnSymbol(name);
      EdnSymbol.interned.set(name, symbol);
    }
    return symbol;
  }

  toString(): string {
    return this.name;
  }
}

export type EdnValue =
  | null
  | boolean
  | number
  | string
  | EdnKeyword
  | EdnSymbol
  | EdnValue[]
  | Map<EdnValue, EdnValue>
  | Set<EdnValue>;

export function keyword(name: string): EdnKeyword {
  return EdnKeyword.of(name);
}

export function symbol(name: string): EdnSymbol {
  return EdnSymbol.of(name);
}
