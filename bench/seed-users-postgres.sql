-- PostgreSQL twin of bench/seed-users.sql (same users, same shape; see there): @COUNT@ users with
-- ids 1…@COUNT@, seeded in one transaction by generate_series. Run by bench/run as
-- sed 's/@COUNT@/N/g' bench/seed-users-postgres.sql | psql …
BEGIN;
INSERT INTO "extra_field" ("extra_field_type", "field_type", "variable", "display_text", "default_value",
    "field_order", "visible_to_self", "visible_to_others", "changeable", "filter", "created_at")
SELECT 1, 1, name, name, '', 0, 0, 0, 0, 0, '2024-01-01 00:00:00'
FROM (VALUES ('scim_external_id'), ('scim_version'), ('scim_deprovisioned'), ('scim_email_type'),
    ('scim_email_not_primary'), ('scim_phone_type'), ('scim_phone_not_primary'), ('scim_unassigned'),
    ('scim_manager_id')) AS names(name)
WHERE NOT EXISTS (SELECT 1 FROM "extra_field" f WHERE f."variable" = name AND f."extra_field_type" = 1);

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
    '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a',
    md5(i::text),
    timestamp '2024-01-01 00:00:00' + i * interval '1 second',
    timestamp '2024-01-01 00:00:00' + i * interval '1 second',
    'a:0:{}', 'platform', 5, 'english',
    timestamp '2024-01-01 00:00:00' + i * interval '1 second',
    NULL, 1
FROM generate_series(1, @COUNT@) AS i;
SELECT setval(pg_get_serial_sequence('"user"', 'id'), (SELECT max("id") FROM "user"));

INSERT INTO "access_url_rel_user" ("access_url_id", "user_id") SELECT 1, "id" FROM "user";

INSERT INTO "extra_field_values" ("field_id", "value", "item_id", "created_at", "updated_at")
SELECT f."id", lpad(to_hex(u."id"), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(u."id"), 12, '0'),
    u."id", u."created_at", u."created_at"
FROM "user" u, "extra_field" f
WHERE f."variable" = 'scim_external_id' AND f."extra_field_type" = 1;

INSERT INTO "extra_field_values" ("field_id", "value", "item_id", "created_at", "updated_at")
SELECT f."id", '1', u."id", u."created_at", u."created_at"
FROM "user" u, "extra_field" f
WHERE f."variable" = 'scim_version' AND f."extra_field_type" = 1;
COMMIT;
ANALYZE "user";
ANALYZE "access_url_rel_user";
ANALYZE "extra_field_values";
