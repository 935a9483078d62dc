/**
 * Every GraphQL operation the app sends. Only their ids travel at run time
 * (persisted queries); `npm run persist` rewrites the manifest after a change,
 * and a test fails when it is out of date.
 */
export const OPERATIONS = {
  Health: `query Health {
  health {
    status
    service
  }
}`,
  Item: `query Item($id: ID!) {
  item(id: $id) {
    id
    name
    createdAt
  }
}`,
  CreateItem: `mutation CreateItem($name: String!) {
  createItem(name: $name) {
    id
    name
  }
}`,
} as const;

export type OperationName = keyof typeof OPERATIONS;
