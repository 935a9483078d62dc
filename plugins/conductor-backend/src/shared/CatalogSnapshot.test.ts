import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DefaultCatalogSnapshot } from './CatalogSnapshot';

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

/** A catalog over a list the test changes, as entities are registered and deleted. */
function catalogOf(entities: Entity[]) {
  return catalogServiceMock.mock({
    getEntityByRef: async (ref: any) =>
      entities.find(e => stringifyEntityRef(e) === ref),
    streamEntities: async function* stream() {
      yield [...entities];
    } as any,
  });
}

describe('DefaultCatalogSnapshot', () => {
  it('answers from its snapshot without asking the catalog, and asks about refs it does not know', async () => {
    const entities = [component('a', 'group:default/payments')];
    const catalog = catalogOf(entities);
    const byRef = jest.spyOn(catalog, 'getEntityByRef');
    const directory = new DefaultCatalogSnapshot({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    expect(await directory.refresh()).toBe(1);

    expect(await directory.lookup('component:default/a')).toEqual({
      exists: true,
      owner: 'group:default/payments',
    });
    expect(byRef).not.toHaveBeenCalled();

    // Registered after the rebuild: looked up, then known.
    entities.push(component('b', 'group:default/identity'));
    expect(await directory.lookup('component:default/b')).toEqual({
      exists: true,
      owner: 'group:default/identity',
    });
    expect(await directory.lookup('component:default/b')).toEqual({
      exists: true,
      owner: 'group:default/identity',
    });
    expect(byRef).toHaveBeenCalledTimes(1);

    expect(await directory.lookup('component:default/nope')).toEqual({
      exists: false,
    });
  });

  it('forgets a deleted component and learns a new owner at the next rebuild', async () => {
    const entities = [
      component('a', 'group:default/payments'),
      component('gone', 'group:default/payments'),
    ];
    const catalog = catalogOf(entities);
    const directory = new DefaultCatalogSnapshot({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    await directory.refresh();
    entities.splice(1, 1);
    entities[0] = component('a', 'group:default/identity');
    // Until the rebuild, the snapshot still answers.
    expect(await directory.lookup('component:default/gone')).toEqual({
      exists: true,
      owner: 'group:default/payments',
    });
    await directory.refresh();
    expect(await directory.lookup('component:default/gone')).toEqual({
      exists: false,
    });
    expect(await directory.lookup('component:default/a')).toEqual({
      exists: true,
      owner: 'group:default/identity',
    });
  });

  it('fails, never answers "not in the catalog", when the catalog cannot be asked', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async () => {
        throw new Error('catalog unavailable');
      },
    });
    const directory = new DefaultCatalogSnapshot({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    await expect(directory.lookup('component:default/a')).rejects.toThrow(
      'catalog unavailable',
    );
  });
});
