import fs from 'node:fs';
import path from 'node:path';
import { diffContractSchemas } from './contractDiff';

const contract = (file: string) =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../../examples/lineage/contracts', file),
      'utf8',
    ),
  );

describe('diffContractSchemas', () => {
  it('Asset v1 → v2: a required property added breaks writers that omit it', () => {
    expect(
      diffContractSchemas(
        contract('asset.v1.schema.json'),
        contract('asset.v2.schema.json'),
      ),
    ).toEqual([
      {
        path: 'owner',
        type: 'PROPERTY_ADDED',
        criticality: 'breaking',
        message:
          "Required property 'owner' was added: writers that omit it break",
      },
    ]);
  });

  it('grades removals, type changes, enum values and nested array items', () => {
    const base = contract('order.v3.schema.json');
    const head = JSON.parse(JSON.stringify(base));
    delete head.properties.totalCents;
    head.required = head.required.filter(
      (r: string) => r !== 'totalCents' && r !== 'tenantId',
    );
    head.properties.status.enum = ['PENDING', 'PAID', 'SHIPPED', 'REFUNDED'];
    head.properties.items.items.properties.quantity.type = 'number';
    head.properties.note = { type: 'string' };
    expect(
      diffContractSchemas(base, head).map(c => [c.type, c.path, c.criticality]),
    ).toEqual([
      ['PROPERTY_BECAME_OPTIONAL', 'tenantId', 'dangerous'],
      ['ENUM_VALUE_REMOVED', 'status', 'breaking'],
      ['ENUM_VALUE_ADDED', 'status', 'dangerous'],
      ['PROPERTY_REMOVED', 'totalCents', 'breaking'],
      ['PROPERTY_TYPE_CHANGED', 'items.quantity', 'breaking'],
      ['PROPERTY_ADDED', 'note', 'safe'],
    ]);
  });
});
