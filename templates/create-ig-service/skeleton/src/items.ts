/** An item as the API returns it. */
export interface Item {
  id: string;
  name: string;
  createdAt: string;
}

/** Where items live. Replace the in-memory store with your database. */
export interface ItemStore {
  get(id: string): Promise<Item | undefined>;
  create(name: string): Promise<Item>;
}

export class InputError extends Error {}

export const MAX_ITEM_NAME = 200;

export function validateItemName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_ITEM_NAME) {
    throw new InputError(
      `name: must be 1 to ${MAX_ITEM_NAME} characters, got ${trimmed.length}`,
    );
  }
  return trimmed;
}

export class InMemoryItemStore implements ItemStore {
  private readonly items = new Map<string, Item>();
  private next = 1;

  async get(id: string) {
    return this.items.get(id);
  }

  async create(name: string) {
    const item: Item = {
      id: String(this.next++),
      name: validateItemName(name),
      createdAt: new Date().toISOString(),
    };
    this.items.set(item.id, item);
    return item;
  }
}
