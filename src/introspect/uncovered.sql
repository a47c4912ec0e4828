-- language=PostgreSQL
-- Objects of the selected schemas of kinds the model does not compare, so
-- that a diff never passes over them in silence: (kind, schema, name as SQL
-- shows it). Extension members belong to their extension and are left out;
-- database-wide objects (publications, event triggers) count when they
-- touch the selected schemas. Only catalog columns PostgreSQL 13 has.
WITH sel AS MATERIALIZED (
    SELECT oid, nspname FROM pg_namespace WHERE nspname = ANY($1::name[])
),
member AS MATERIALIZED (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
),
found (kind, schema, name, classid, objid) AS (
    SELECT 'operator', s.nspname::text,
           o.oprname || '(' || coalesce(format_type(o.oprleft, NULL), 'NONE') || ', '
                            || coalesce(format_type(o.oprright, NULL), 'NONE') || ')',
           'pg_operator'::regclass, o.oid
    FROM pg_operator o JOIN sel s ON s.oid = o.oprnamespace
    UNION ALL
    SELECT 'operator_class', s.nspname::text, quote_ident(c.opcname) || ' USING ' || am.amname,
           'pg_opclass'::regclass, c.oid
    FROM pg_opclass c JOIN sel s ON s.oid = c.opcnamespace JOIN pg_am am ON am.oid = c.opcmethod
    UNION ALL
    SELECT 'operator_family', s.nspname::text, quote_ident(f.opfname) || ' USING ' || am.amname,
           'pg_opfamily'::regclass, f.oid
    FROM pg_opfamily f JOIN sel s ON s.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod
    UNION ALL
    SELECT 'text_search_configuration', s.nspname::text, quote_ident(x.cfgname),
           'pg_ts_config'::regclass, x.oid
    FROM pg_ts_config x JOIN sel s ON s.oid = x.cfgnamespace
    UNION ALL
    SELECT 'text_search_dictionary', s.nspname::text, quote_ident(x.dictname),
           'pg_ts_dict'::regclass, x.oid
    FROM pg_ts_dict x JOIN sel s ON s.oid = x.dictnamespace
    UNION ALL
    SELECT 'text_search_parser', s.nspname::text, quote_ident(x.prsname),
           'pg_ts_parser'::regclass, x.oid
    FROM pg_ts_parser x JOIN sel s ON s.oid = x.prsnamespace
    UNION ALL
    SELECT 'text_search_template', s.nspname::text, quote_ident(x.tmplname),
           'pg_ts_template'::regclass, x.oid
    FROM pg_ts_template x JOIN sel s ON s.oid = x.tmplnamespace
    UNION ALL
    SELECT 'conversion', s.nspname::text, quote_ident(x.conname),
           'pg_conversion'::regclass, x.oid
    FROM pg_conversion x JOIN sel s ON s.oid = x.connamespace
    UNION ALL
    SELECT 'aggregate', s.nspname::text,
           quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')',
           'pg_proc'::regclass, p.oid
    FROM pg_proc p JOIN sel s ON s.oid = p.pronamespace
    WHERE p.prokind IN ('a', 'w')
    UNION ALL
    -- A cast counts where its source type, target type or function lives.
    SELECT 'cast', s.nspname::text,
           '(' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')',
           'pg_cast'::regclass, c.oid
    FROM pg_cast c
    JOIN sel s ON s.oid = (
        SELECT coalesce(
            (SELECT t.typnamespace FROM pg_type t
             WHERE t.oid = c.castsource AND t.typnamespace IN (SELECT oid FROM sel)),
            (SELECT t.typnamespace FROM pg_type t
             WHERE t.oid = c.casttarget AND t.typnamespace IN (SELECT oid FROM sel)),
            (SELECT p.pronamespace FROM pg_proc p
             WHERE p.oid = c.castfunc AND p.pronamespace IN (SELECT oid FROM sel))))
    UNION ALL
    SELECT CASE t.typtype WHEN 'r' THEN 'range_type' ELSE 'base_type' END,
           s.nspname::text, quote_ident(t.typname),
           'pg_type'::regclass, t.oid
    FROM pg_type t JOIN sel s ON s.oid = t.typnamespace
    WHERE t.typtype = 'r'
       -- Base types, but not the array types the server makes for every type.
       OR (t.typtype = 'b' AND NOT (t.typelem <> 0 AND t.typlen = -1
                                    AND EXISTS (SELECT 1 FROM pg_type e
                                                WHERE e.oid = t.typelem AND e.typarray = t.oid)))
    UNION ALL
    SELECT 'publication', NULL, quote_ident(pub.pubname),
           'pg_publication'::regclass, pub.oid
    FROM pg_publication pub
    WHERE pub.puballtables
       OR EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_class c ON c.oid = pr.prrelid
                  WHERE pr.prpubid = pub.oid AND c.relnamespace IN (SELECT oid FROM sel))
    UNION ALL
    SELECT 'event_trigger', NULL, quote_ident(e.evtname),
           'pg_event_trigger'::regclass, e.oid
    FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid
    WHERE p.pronamespace IN (SELECT oid FROM sel)
)
SELECT f.kind, f.schema, f.name
FROM found f
WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = f.classid AND m.objid = f.objid)
ORDER BY 1, 2, 3
