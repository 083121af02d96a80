-- Chamilo 2.0-shaped tables for the SQLite backend (demo portals and tests), following Chamilo 2.0's
-- Doctrine entities as schemas/mysql/chamilo-2.sql does. The uuid is kept as text; username compares
-- without regard to letter case (COLLATE NOCASE), as MySQL's collation does. Idempotent.


CREATE TABLE IF NOT EXISTS "access_url" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "url" VARCHAR(255) NOT NULL,
    "description" TEXT NULL,
    "active" INTEGER NOT NULL,
    "created_by" INTEGER NOT NULL,
    "tms" DATETIME NULL,
    "url_type" TINYINT(1) NULL
);

INSERT OR IGNORE INTO "access_url" ("id", "url", "description", "active", "created_by", "tms", "url_type")
VALUES (1, 'http://localhost/', '', 1, 1, '2024-01-01 00:00:00', NULL);

CREATE TABLE IF NOT EXISTS "user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "resource_node_id" INTEGER NULL,
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
    "extra_field_type" INTEGER NOT NULL,
    "field_type" INTEGER NOT NULL,
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
    "created_at" DATETIME NOT NULL
);

CREATE TABLE IF NOT EXISTS "extra_field_values" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "field_id" INTEGER NULL,
    "value" TEXT NULL,
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
