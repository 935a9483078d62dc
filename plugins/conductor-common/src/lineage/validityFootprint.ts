import {
  ASTNode,
  GraphQLArgument,
  GraphQLInputField,
  GraphQLSchema,
  Kind,
  TypeInfo,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

/*
 * Why an operation that reads nothing the change touched keeps its validity.
 *
 * graphql-js `validate(schema, document)` is a deterministic function of the
 * document and of the schema facts its rules and its TypeInfo read while
 * walking the document. Those facts, rule by rule (graphql 16, every rule of
 * `specifiedRules`), are:
 *
 * - the root operation types (TypeInfo at each operation; SingleFieldSubscriptions);
 * - for each named type the document reaches (parent of a selection, the
 *   type a field returns, a variable's type, a fragment's type condition, the
 *   input type at an argument, object field or value): whether it exists, its
 *   kind, and for abstract types which types it may be (KnownTypeNames,
 *   FragmentsOnCompositeTypes, VariablesAreInputTypes, ScalarLeafs,
 *   PossibleFragmentSpreads and OverlappingFieldsCanBeMerged through
 *   `isSubType`/`getPossibleTypes`; VariablesInAllowedPosition compares
 *   types by name within one schema);
 * - for each field selected on an object or interface type: whether it
 *   exists, its type, and every argument's name, type and whether it has a
 *   default (FieldsOnCorrectType, KnownArgumentNames, ProvidedRequiredArguments,
 *   ValuesOfCorrectType, VariablesInAllowedPosition, OverlappingFieldsCanBeMerged
 *   — which reads fields only on the same parent types TypeInfo reaches);
 * - for each input object written as a literal: all its fields (name, type,
 *   default or not: a missing required field is an error) and `@oneOf`;
 * - for each enum value written as a literal: whether the enum has it;
 * - for each directive used: its locations, arguments and repeatability
 *   (KnownDirectives, UniqueDirectivesPerLocation, KnownArgumentNames,
 *   ProvidedRequiredArguments).
 * Custom scalars are the same in both schemas when both are built from SDL
 * (no code: any literal is accepted); the specified scalars never change.
 * Descriptions and deprecations are read by no rule.
 *
 * The footprint is the set of keys naming those facts for one operation,
 * collected with TypeInfo against the OLD schema; the signature of a key is
 * the facts themselves, read from a schema. By induction over the walk: if
 * every key of the footprint has the same signature in both schemas, the
 * walk against the new schema reaches the same nodes with the same types and
 * reads the same facts, so `validate` gives the same errors. An operation
 * valid against the old schema whose footprint is unchanged is therefore
 * valid against the new one: not impacted, and `validate` need not run.
 * Anything else (some key changed) is validated in full, so the rule
 * "impacted exactly when valid against the old schema and invalid against the
 * new" is unchanged; `validityFootprint.test.ts` checks both paths agree on a
 * corpus of changes.
 *
 * Keys: `r:` roots; `t:T` the type itself; `f:T.f` a field of an object or
 * interface type; `i:T` the fields of an input object; `e:T.V` an enum
 * value; `d:name` a directive.
 */

/** Adds the validation-footprint keys of `node`, read at the TypeInfo state of entering it. */
export function addFootprintKeys(
  footprint: Set<string>,
  typeInfo: TypeInfo,
  node: ASTNode,
): void {
  for (const t of [
    typeInfo.getParentType(),
    typeInfo.getType(),
    typeInfo.getInputType(),
    typeInfo.getParentInputType(),
  ])
    if (t) footprint.add(`t:${getNamedType(t).name}`);
  switch (node.kind) {
    case Kind.OPERATION_DEFINITION:
      footprint.add('r:');
      break;
    case Kind.FIELD: {
      const parent = typeInfo.getParentType();
      // __typename on any type, __schema and __type on the query root (r:)
      if (node.name.value.startsWith('__')) footprint.add('r:');
      else if (parent) footprint.add(`f:${parent.name}.${node.name.value}`);
      break;
    }
    case Kind.OBJECT: {
      const input = typeInfo.getInputType();
      if (input) footprint.add(`i:${getNamedType(input).name}`);
      break;
    }
    case Kind.OBJECT_FIELD: {
      const parent = typeInfo.getParentInputType();
      if (parent) footprint.add(`i:${getNamedType(parent).name}`);
      break;
    }
    case Kind.ENUM: {
      const input = typeInfo.getInputType();
      if (input) footprint.add(`e:${getNamedType(input).name}.${node.value}`);
      break;
    }
    case Kind.DIRECTIVE:
      footprint.add(`d:${node.name.value}`);
      break;
    case Kind.NAMED_TYPE:
      footprint.add(`t:${node.name.value}`);
      break;
    default:
  }
}

const NONE = '-';

function inputValues(
  values: ReadonlyArray<GraphQLArgument | GraphQLInputField>,
): string {
  // `defaultValue` as built (undefined when absent or not coercible) is
  // exactly what ProvidedRequiredArguments and VariablesInAllowedPosition read.
  return values
    .map(
      v =>
        `${v.name}:${String(v.type)}${v.defaultValue === undefined ? '' : '='}`,
    )
    .join(',');
}

const names = (types: ReadonlyArray<{ name: string }>) =>
  types
    .map(t => t.name)
    .sort()
    .join(',');

/** The facts of one footprint key in a schema (see above); undefined for a key it does not know. */
export function footprintSignature(
  schema: GraphQLSchema,
  key: string,
): string | undefined {
  const body = key.slice(2);
  switch (key[0]) {
    case 'r':
      return [
        schema.getQueryType(),
        schema.getMutationType(),
        schema.getSubscriptionType(),
      ]
        .map(t => t?.name ?? NONE)
        .join('|');
    case 't': {
      const type = schema.getType(body);
      if (!type) return NONE;
      if (isObjectType(type)) return `O ${names(type.getInterfaces())}`;
      if (isInterfaceType(type)) {
        const impl = schema.getImplementations(type);
        return `I ${names(type.getInterfaces())} | ${names(
          impl.objects,
        )} | ${names(impl.interfaces)}`;
      }
      if (isUnionType(type)) return `U ${names(type.getTypes())}`;
      if (isEnumType(type)) return 'E';
      if (isInputObjectType(type)) return 'N';
      if (isScalarType(type)) return 'S';
      return NONE;
    }
    case 'f': {
      const dot = body.indexOf('.');
      const type = schema.getType(body.slice(0, dot));
      if (!isObjectType(type) && !isInterfaceType(type)) return NONE;
      const field = type.getFields()[body.slice(dot + 1)];
      return field ? `${String(field.type)}(${inputValues(field.args)})` : NONE;
    }
    case 'i': {
      const type = schema.getType(body);
      if (!isInputObjectType(type)) return NONE;
      return `${type.isOneOf ? '@oneOf ' : ''}${inputValues(
        Object.values(type.getFields()),
      )}`;
    }
    case 'e': {
      const dot = body.lastIndexOf('.');
      const type = schema.getType(body.slice(0, dot));
      return isEnumType(type) && type.getValue(body.slice(dot + 1))
        ? 'yes'
        : NONE;
    }
    case 'd': {
      const directive = schema.getDirective(body);
      if (!directive) return NONE;
      return `${[...directive.locations].sort().join(',')} ${
        directive.isRepeatable ? 'repeatable' : ''
      }(${inputValues(directive.args)})`;
    }
    default:
      return undefined;
  }
}

/**
 * Compares footprint keys between two schemas, each key once.
 *
 * @public
 */
export class FootprintComparer {
  private readonly same = new Map<string, boolean>();

  constructor(
    private readonly base: GraphQLSchema,
    private readonly head: GraphQLSchema,
  ) {}

  /** True when no key of the footprint reads a different fact in the new schema. */
  unchanged(footprint: Iterable<string>): boolean {
    for (const key of footprint) {
      let same = this.same.get(key);
      if (same === undefined) {
        const before = footprintSignature(this.base, key);
        // a key it does not know is never taken as unchanged
        same =
          before !== undefined && before === footprintSignature(this.head, key);
        this.same.set(key, same);
      }
      if (!same) return false;
    }
    return true;
  }
}
