-- Seeds :count Chamilo 1.11 users into a database made from schemas/sqlite/chamilo-1.11.sql,
-- shaped exactly as the gateway's create leaves them (tenants.d/mappings/chamilo-1.11.yaml):
--   * user row with the login prerequisites (onCreate), user_id = id (copyKeyTo),
--     username_canonical / email_canonical lower-cased, enabled = active (derived);
--   * access_url_rel_user row for access URL 1 (linkedRows, restrictsVisibility);
--   * extra_field_values under scim_external_id (externalId) and scim_version (version
--     counter, 1 after a create); no scim_deprovisioned value (not soft-deleted).
-- Every tenth userName is stored with a capital letter (User10, User20, …), so look-ups by
-- `user<N>` also exercise the case-insensitive comparison.
-- Run with: sqlite3 DB -cmd '.parameter set :count 100000' < bench/seed-users.sql
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;

-- The extra field definitions, as ResourceStore.fieldKey(create:) writes them from the
-- mapping's onCreateField (extra_field_type 1 = user, field_type 1 = text).
INSERT INTO "extra_field" ("extra_field_type", "field_type", "variable", "display_text", "default_value",
    "field_order", "visible_to_self", "visible_to_others", "changeable", "filter", "created_at")
SELECT 1, 1, name, name, '', 0, 0, 0, 0, 0, '2024-01-01 00:00:00'
FROM (SELECT 'scim_external_id' AS name UNION ALL SELECT 'scim_version' UNION ALL SELECT 'scim_deprovisioned'
      UNION ALL SELECT 'scim_email_type' UNION ALL SELECT 'scim_email_not_primary' UNION ALL SELECT 'scim_phone_type'
      UNION ALL SELECT 'scim_phone_not_primary' UNION ALL SELECT 'scim_unassigned'
      UNION ALL SELECT 'scim_manager_id')
WHERE NOT EXISTS (SELECT 1 FROM "extra_field" f WHERE f."variable" = name AND f."extra_field_type" = 1);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
INSERT INTO "user" ("id", "user_id", "username", "username_canonical", "email", "email_canonical",
    "locked", "enabled", "expired", "credentials_expired", "lastname", "firstname", "password", "salt",
    "created_at", "updated_at", "roles", "auth_source", "status", "language", "registration_date",
    "expiration_date", "active")
SELECT i, i,
    CASE WHEN i % 10 = 0 THEN 'User' ELSE 'user' END || i,
    'user' || i,
    'user' || i || '@example.org',
    'user' || i || '@example.org',
    0, 1, 0, 0,
    'Family' || (i % 977), 'Given' || (i % 613),
    -- A constant bcrypt hash ($2y$, as PHP writes it); its password is 'rasmuslerdorf'.
    '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a',
    lower(hex(randomblob(16))),
    datetime('2024-01-01 00:00:00', '+' || i || ' seconds'),
    datetime('2024-01-01 00:00:00', '+' || i || ' seconds'),
    'a:0:{}', 'platform', 5, 'english',
    datetime('2024-01-01 00:00:00', '+' || i || ' seconds'),
    NULL, 1
FROM n;

INSERT INTO "access_url_rel_user" ("access_url_id", "user_id") SELECT 1, "id" FROM "user";

-- externalId: a GUID-shaped value, as Entra ID sends (00000001-0000-4000-8000-000000000001).
INSERT INTO "extra_field_values" ("field_id", "value", "item_id", "created_at", "updated_at")
SELECT f."id", printf('%08x-0000-4000-8000-%012x', u."id", u."id"), u."id", u."created_at", u."created_at"
FROM "user" u, "extra_field" f
WHERE f."variable" = 'scim_external_id' AND f."extra_field_type" = 1;

INSERT INTO "extra_field_values" ("field_id", "value", "item_id", "created_at", "updated_at")
SELECT f."id", '1', u."id", u."created_at", u."created_at"
FROM "user" u, "extra_field" f
WHERE f."variable" = 'scim_version' AND f."extra_field_type" = 1;

COMMIT;
PRAGMA synchronous = NORMAL;
