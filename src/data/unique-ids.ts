// An entity file (customers, products, offers, MovieLens users and movies) gives each id once: a
// later row with the same id is a rejected row that names the line where the id was first given.

export class UniqueIds {
  private readonly firstLine = new Map<string, number>();

  constructor(private readonly column: string) {}

  /** Records `id` as given on `line`; the reject reason if an earlier row gave it. */
  claim(id: string, line: number): string | null {
    const first = this.firstLine.get(id);
    if (first !== undefined) return `${this.column} ${JSON.stringify(id)} repeats line ${first} (an id is given once per file)`;
    this.firstLine.set(id, line);
    return null;
  }
}
