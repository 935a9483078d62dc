package authz_test

import rego.v1

import data.authz

test_health_is_open if {
	authz.allow with input as {"operation": {"type": "query", "field": "health"}, "subject": {"authenticated": false}}
}

test_reading_needs_a_signed_in_caller if {
	authz.allow with input as {"operation": {"type": "query", "field": "item"}, "subject": {"authenticated": true, "roles": []}}
	not authz.allow with input as {"operation": {"type": "query", "field": "item"}, "subject": {"authenticated": false}}
}

test_writing_needs_the_writer_role if {
	authz.allow with input as {"operation": {"type": "mutation", "field": "createItem"}, "subject": {"authenticated": true, "roles": ["writer"]}}
	not authz.allow with input as {"operation": {"type": "mutation", "field": "createItem"}, "subject": {"authenticated": true, "roles": ["reader"]}}
}

test_unknown_operation_is_denied if {
	not authz.allow with input as {"operation": {"type": "mutation", "field": "dropEverything"}, "subject": {"authenticated": true, "roles": ["writer"]}}
}
