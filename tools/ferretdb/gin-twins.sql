-- GIN twins of FerretDB's indexes, installed by tools/ferretdb/main.go in the PostgreSQL
-- database it serves before it starts.
--
-- FerretDB 1.24 pushes an equality filter down as `_jsonb -> 'field' @> 'value'`. Containment
-- is no btree operator, so PostgreSQL uses none of the btree indexes FerretDB builds for
-- `createIndexes` (nor its `_id` index) and scans the table. For every such index this adds a
-- GIN index (jsonb_path_ops, which serves `@>`) on the index's first field: the indexes the
-- service declares (owner_id first, for one owner's todos) then serve its filters, and an
-- update by `_id` finds its document without a scan. docs/decisions.md has the figures.

CREATE OR REPLACE FUNCTION ferretdb_gin_twin(btree regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  tbl regclass;
  first_key text;
BEGIN
  SELECT i.indrelid::regclass INTO tbl FROM pg_index i WHERE i.indexrelid = btree;
  first_key := pg_get_indexdef(btree, 1, true);
  -- Only a FerretDB field (its documents are the `_jsonb` column).
  IF first_key NOT LIKE '(_jsonb -> %' THEN
    RETURN;
  END IF;
  -- One twin per field, however many indexes start with it.
  IF EXISTS (
    SELECT 1 FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_am am ON am.oid = c.relam
     WHERE i.indrelid = tbl AND am.amname = 'gin'
       AND pg_get_indexdef(i.indexrelid, 1, true) = first_key
  ) THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE INDEX ON %s USING gin (%s jsonb_path_ops)', tbl, first_key);
END $$;

CREATE OR REPLACE FUNCTION ferretdb_gin_twins() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN
    SELECT c.objid FROM pg_event_trigger_ddl_commands() c
      JOIN pg_class ic ON ic.oid = c.objid
      JOIN pg_am am ON am.oid = ic.relam
     WHERE c.command_tag = 'CREATE INDEX' AND am.amname = 'btree'
  LOOP
    PERFORM ferretdb_gin_twin(created.objid);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS ferretdb_gin_twins;
CREATE EVENT TRIGGER ferretdb_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION ferretdb_gin_twins();

-- The indexes built before this was installed.
SELECT ferretdb_gin_twin(i.indexrelid)
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_am am ON am.oid = c.relam
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE am.amname = 'btree' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast');
