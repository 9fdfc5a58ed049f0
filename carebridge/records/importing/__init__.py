"""Importing FHIR R4 exports (Bundles, single resources and bulk-data NDJSON) into the store.

The steps, one module each: `readers` finds and reads files within the size limit; `bundles`
turns a document into entries grouped by patient; `validation` checks each resource;
`planning` matches each group's patient (`matching`) and gives every resource its final id;
`references` resolves links between entries; `storing` writes a group through
`records.services.store_resources`; `outcomes` reports a group that is not stored; `pipeline`
runs them in order and `summary` counts what happened. `jobs` and `reviews` are the services
behind the command, the background task and the staff pages; `forms` and `selectors` serve
those pages.

Privacy rule for every module here: error messages name a file, a position in it and a reason,
never a value from the resource.
"""
