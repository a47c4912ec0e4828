-- language=PostgreSQL
-- Owners and grants (read only when privileges are compared): one row per
-- object and privilege granted (aclexplode), or one row with NULL grantee
-- for an object that grants nothing. A NULL ACL means the built-in default
-- (acldefault); columns have none. Default privileges come from
-- pg_default_acl, by class; their "owner" is the role whose new objects
-- they apply to (FOR ROLE). The connected database's grants come last,
-- its name in "name". Extension-owned objects are left out, as everywhere.
WITH objects AS (
    SELECT 'schema' AS kind, n.nspname::text AS schema, NULL::text AS name,
           NULL::text AS col, n.nspowner AS owner,
           coalesce(n.nspacl, acldefault('n', n.nspowner)) AS acl
    FROM pg_namespace n
    WHERE n.nspname = ANY($1::name[])
  UNION ALL
    SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'view'
                ELSE 'table' END,
           n.nspname::text, c.relname::text, NULL, c.relowner,
           coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char",
                                         c.relowner))
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1::name[])
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (
            SELECT 1 FROM pg_depend d
            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  UNION ALL
    SELECT 'column', n.nspname::text, c.relname::text, a.attname::text, c.relowner, a.attacl
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1::name[])
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
  UNION ALL
    SELECT 'function', n.nspname::text,
           p.proname::text || '(' || coalesce(
               (SELECT string_agg(format_type(t.t, NULL), ', ' ORDER BY t.ord)
                FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY t(t, ord)), '') || ')',
           NULL, p.proowner, coalesce(p.proacl, acldefault('f', p.proowner))
    FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = ANY($1::name[])
      AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (
            SELECT 1 FROM pg_depend d
            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
    SELECT 'type', n.nspname::text, t.typname::text, NULL, t.typowner,
           coalesce(t.typacl, acldefault('T', t.typowner))
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = ANY($1::name[])
      AND (t.typtype IN ('e', 'd')
           OR (t.typtype = 'c' AND EXISTS (
                 SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
      AND NOT EXISTS (
            SELECT 1 FROM pg_depend d
            WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  UNION ALL
    SELECT 'default', n.nspname::text,
           CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END,
           NULL, d.defaclrole, d.defaclacl
    FROM pg_default_acl d
    JOIN pg_namespace n ON n.oid = d.defaclnamespace
    WHERE n.nspname = ANY($1::name[])
  UNION ALL
    SELECT 'database', '', d.datname::text, NULL, d.datdba,
           coalesce(d.datacl, acldefault('d', d.datdba))
    FROM pg_database d
    WHERE d.datname = current_database()
)
SELECT o.kind, o.schema, o.name, o.col,
       pg_get_userbyid(o.owner)::text AS owner,
       CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
       x.privilege_type::text AS privilege,
       x.is_grantable AS grantable
FROM objects o
LEFT JOIN LATERAL aclexplode(o.acl) x ON true
ORDER BY 1, 2, 3, 4
