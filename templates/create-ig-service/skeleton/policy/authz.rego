# Who may call which GraphQL operation of this service.
# input: {"operation": {"type": "query"|"mutation", "field": "<root field>"},
#         "subject": {"authenticated": bool, "roles": [string]}}
package authz

import rego.v1

# Every root field of src/schema.graphql is listed here with the role it
# needs ("" = any authenticated caller). A field missing from this map is
# denied, and scripts/evidence.mjs counts it as not covered by policy.
operations := {
	"query": {"health": "", "item": ""},
	"mutation": {"createItem": "writer"},
}

default allow := false

allow if {
	input.operation.field == "health"
}

allow if {
	input.subject.authenticated
	role := operations[input.operation.type][input.operation.field]
	role == ""
}

allow if {
	input.subject.authenticated
	role := operations[input.operation.type][input.operation.field]
	role != ""
	role in input.subject.roles
}
