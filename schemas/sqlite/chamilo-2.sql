-- Chamilo 2.0-shaped tables for the SQLite backend (demo portals and tests), following Chamilo 2.0's
-- Doctrine entities as schemas/mysql/chamilo-2.sql does. The uuid is kept as text; username compares
-- without regard to letter case (COLLATE NOCASE), as MySQL's collation does. Source commits: see schemas/mysql/chamilo-2.sql. The installer's accounts are
-- seeded as there (not linked to an access URL). Idempotent.


CREATE TABLE IF NOT EXISTS "resource_type" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "tool_id" INTEGER NULL,
    "title" VARCHAR(255) NOT NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

INSERT OR IGNORE INTO "resource_type" ("id", "tool_id", "title", "created_at", "updated_at")
VALUES (1, NULL, 'users', '2024-01-01 00:00:00', '2024-01-01 00:00:00');

CREATE TABLE IF NOT EXISTS "resource_node" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "resource_type_id" INTEGER NOT NULL REFERENCES "resource_type" ("id"),
    "resource_file_id" INTEGER NULL,
    "creator_id" INTEGER NULL,
    "parent_id" INTEGER NULL REFERENCES "resource_node" ("id") ON DELETE CASCADE,
    "title" VARCHAR(255) NOT NULL,
    "slug" VARCHAR(255) NOT NULL,
    "level" INTEGER NULL,
    "path" TEXT NULL,
    "public" TINYINT(1) NOT NULL,
    "uuid" CHAR(36) NOT NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS "UNIQ_8A5F48FFD17F50A6" ON "resource_node" ("uuid");

CREATE INDEX IF NOT EXISTS "IDX_8A5F48FF61220EA6" ON "resource_node" ("creator_id");

CREATE TABLE IF NOT EXISTS "access_url" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "resource_node_id" INTEGER NULL UNIQUE,
    "parent_id" INTEGER NULL,
    "tree_root" INTEGER NULL,
    "url" VARCHAR(255) NOT NULL,
    "description" TEXT NULL,
    "active" INTEGER NOT NULL,
    "created_by" INTEGER NOT NULL,
    "tms" DATETIME NULL,
    "url_type" TINYINT(1) NULL,
    "limit_courses" INTEGER NULL,
    "limit_active_courses" INTEGER NULL,
    "limit_sessions" INTEGER NULL,
    "limit_users" INTEGER NULL,
    "limit_teachers" INTEGER NULL,
    "limit_disk_space" INTEGER NULL,
    "email" VARCHAR(255) NULL,
    "lft" INTEGER NULL,
    "lvl" INTEGER NULL,
    "rgt" INTEGER NULL
);

INSERT OR IGNORE INTO "access_url" ("id", "url", "description", "active", "created_by", "tms", "url_type", "lft", "lvl", "rgt")
VALUES (1, 'http://localhost/', '', 1, 1, '2024-01-01 00:00:00', NULL, 1, 0, 2);

CREATE TABLE IF NOT EXISTS "user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "resource_node_id" INTEGER NULL UNIQUE REFERENCES "resource_node" ("id") ON DELETE CASCADE,
    "username" VARCHAR(100) NOT NULL COLLATE NOCASE,
    "api_token" VARCHAR(255) NULL,
    "firstname" VARCHAR(64) NULL,
    "lastname" VARCHAR(64) NULL,
    "website" VARCHAR(255) NULL,
    "biography" TEXT NULL,
    "locale" VARCHAR(10) NOT NULL,
    "password" VARCHAR(255) NOT NULL,
    "username_canonical" VARCHAR(180) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "email_canonical" VARCHAR(100) NOT NULL,
    "email" VARCHAR(100) NOT NULL,
    "locked" TINYINT(1) NOT NULL,
    "expired" TINYINT(1) NOT NULL,
    "credentials_expired" TINYINT(1) NOT NULL,
    "credentials_expire_at" DATETIME NULL,
    "date_of_birth" DATETIME NULL,
    "expires_at" DATETIME NULL,
    "phone" VARCHAR(64) NULL,
    "address" VARCHAR(250) NULL,
    "salt" VARCHAR(255) NOT NULL,
    "gender" VARCHAR(1) NULL,
    "last_login" DATETIME NULL,
    "confirmation_token" VARCHAR(255) NULL,
    "password_requested_at" DATETIME NULL,
    "roles" TEXT NOT NULL,
    "profile_completed" TINYINT(1) NULL,
    "status" INTEGER NOT NULL,
    "official_code" VARCHAR(40) NULL,
    "picture_uri" VARCHAR(250) NULL,
    "creator_id" INTEGER NULL,
    "competences" TEXT NULL,
    "diplomas" TEXT NULL,
    "openarea" TEXT NULL,
    "teach" TEXT NULL,
    "productions" VARCHAR(250) NULL,
    "expiration_date" DATETIME NULL,
    "active" INTEGER NOT NULL,
    "openid" VARCHAR(255) NULL,
    "theme" VARCHAR(255) NULL,
    "hr_dept_id" SMALLINT NULL,
    "uuid" CHAR(36) NOT NULL,
    "mfa_enabled" TINYINT(1) NOT NULL DEFAULT 0,
    "mfa_service" VARCHAR(255) NULL,
    "mfa_secret" VARCHAR(255) NULL,
    "mfa_backup_codes" TEXT NULL,
    "mfa_last_used" DATETIME NULL,
    "password_updated_at" DATETIME NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS "UNIQ_8D93D649F85E0677" ON "user" ("username");

CREATE UNIQUE INDEX IF NOT EXISTS "UNIQ_8D93D649D17F50A6" ON "user" ("uuid");

CREATE UNIQUE INDEX IF NOT EXISTS "UNIQ_8D93D6497BA2F5EB" ON "user" ("api_token");

CREATE INDEX IF NOT EXISTS "status" ON "user" ("status");

-- The installer's accounts (AccessUserFixtures): the root administrator, whose resource node it created
-- itself, the anonymous user (status 6) and the fallback user (status 99). Their password '!' is no
-- hash: nobody logs in as them in a demo database.
INSERT OR IGNORE INTO "resource_node" ("id", "resource_type_id", "creator_id", "parent_id", "title", "slug", "level", "path", "public", "uuid", "created_at", "updated_at")
VALUES (1, 1, 1, NULL, 'admin', 'admin', 1, 'admin-1/', 0, '0193c0a0-0000-7000-8000-000000000001', '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (2, 1, 1, NULL, 'anon', 'anon', 1, 'anon-2/', 0, '0193c0a0-0000-7000-8000-000000000002', '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (3, 1, 1, NULL, 'fallback_user', 'fallback-user', 1, 'fallback_user-3/', 0, '0193c0a0-0000-7000-8000-000000000003', '2024-01-01 00:00:00', '2024-01-01 00:00:00');

INSERT OR IGNORE INTO "user" ("id", "resource_node_id", "username", "firstname", "lastname", "locale", "password", "username_canonical", "timezone", "email_canonical", "email", "locked", "expired", "credentials_expired", "salt", "roles", "status", "official_code", "creator_id", "active", "uuid", "mfa_enabled", "created_at", "updated_at")
VALUES (1, 1, 'admin', 'Joe', 'Doe', 'en_US', '!', 'admin', 'Europe/Paris', 'admin@example.org', 'admin@example.org', 0, 0, 0, '', 'a:2:{i:0;s:10:"ROLE_ADMIN";i:1;s:17:"ROLE_GLOBAL_ADMIN";}', 1, 'ADMIN', 1, 1, '0193c0a0-0000-7000-8000-000000000011', 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (2, 2, 'anon', 'Anonymous', 'Joe', 'en_US', '!', 'anon', 'Europe/Paris', 'anonymous@localhost', 'anonymous@localhost', 0, 0, 0, '', 'a:1:{i:0;s:14:"ROLE_ANONYMOUS";}', 6, 'anonymous', 1, 1, '0193c0a0-0000-7000-8000-000000000012', 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (3, 3, 'fallback_user', 'Fallback', 'User', 'en_US', '!', 'fallback_user', 'Europe/Paris', 'fallback@localhost', 'fallback@localhost', 0, 0, 0, '', 'a:0:{}', 99, 'FALLBACK', 1, 0, '0193c0a0-0000-7000-8000-000000000013', 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00');

CREATE TABLE IF NOT EXISTS "access_url_rel_user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NULL,
    "access_url_id" INTEGER NULL
);

CREATE INDEX IF NOT EXISTS "IDX_85574263A76ED395" ON "access_url_rel_user" ("user_id");

CREATE INDEX IF NOT EXISTS "IDX_8557426373444FD5" ON "access_url_rel_user" ("access_url_id");

-- Platform administrators of installs that still carry the admin table (Chamilo 2.0 itself marks
-- them with ROLE_ADMIN / ROLE_GLOBAL_ADMIN in user.roles).
CREATE TABLE IF NOT EXISTS "admin" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL UNIQUE REFERENCES "user" ("id") ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS "user_auth_source" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "url_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "authentication" VARCHAR(255) NOT NULL
);

CREATE INDEX IF NOT EXISTS "IDX_D632110481CFDAE7" ON "user_auth_source" ("url_id");

CREATE INDEX IF NOT EXISTS "IDX_D6321104A76ED395" ON "user_auth_source" ("user_id");

CREATE TABLE IF NOT EXISTS "extra_field" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "item_type" INTEGER NOT NULL,
    "value_type" INTEGER NOT NULL,
    "variable" VARCHAR(255) NOT NULL,
    "description" TEXT NULL,
    "display_text" VARCHAR(255) NULL,
    "helper_text" TEXT NULL,
    "default_value" TEXT NULL,
    "field_order" INTEGER NULL,
    "visible_to_self" TINYINT(1) NULL,
    "visible_to_others" TINYINT(1) NULL,
    "changeable" TINYINT(1) NULL,
    "filter" TINYINT(1) NULL,
    "created_at" DATETIME NOT NULL,
    "auto_remove" TINYINT(1) NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS "extra_field_values" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "field_id" INTEGER NULL,
    "asset_id" CHAR(36) NULL,
    "field_value" TEXT NULL,
    "item_id" INTEGER NOT NULL,
    "comment" TEXT NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

CREATE INDEX IF NOT EXISTS "idx_efv_fiii" ON "extra_field_values" ("field_id", "item_id");

CREATE INDEX IF NOT EXISTS "idx_efv_item" ON "extra_field_values" ("item_id");

CREATE TABLE IF NOT EXISTS "usergroup_rel_user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NULL,
    "usergroup_id" INTEGER NULL,
    "relation_type" INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS "IDX_739515A9A76ED395" ON "usergroup_rel_user" ("user_id");

CREATE INDEX IF NOT EXISTS "IDX_739515A9D2112630" ON "usergroup_rel_user" ("usergroup_id");
