"""Names the constructs write into a synthesized stack and the plan guard reads.

Kept in a module of their own, with no imports, so the guard (an operator
tool) shares them without loading the constructs or the jsii runtime.
"""

# Key under a table resource's "//" metadata: the GSIs the code declares, kept
# when terraform must ignore the GSI block (autoscaled GSI capacity).
DECLARED_INDEXES_KEY = "declared_global_secondary_indexes"
# A named opt-in, at synth: apply added, removed or changed GSIs of such a table.
APPLY_INDEX_CHANGES_ENV = "DYNAMODB_KIT_APPLY_INDEX_CHANGES"
