-- Chamilo 1.11-shaped tables for the SQLite backend (demo portals and tests).
-- Columns, types and NULL-ability follow Chamilo 1.11; like Chamilo's, the user table has no
-- DEFAULT values, so every login prerequisite must be written explicitly on create.
-- Idempotent: it can be applied to the same file more than once.

CREATE TABLE IF NOT EXISTS "access_url" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "url" VARCHAR(255) NOT NULL,
    "description" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "created_by" INTEGER NOT NULL,
    "tms" DATETIME NULL,
    "url_type" TINYINT(1) NULL
);
INSERT OR IGNORE INTO "access_url" ("id", "url", "description", "active", "created_by", "tms", "url_type")
VALUES (1, 'http://localhost/', ' ', 1, 1, '2024-01-01 00:00:00', NULL);

-- username is compared without regard to letter case (utf8_unicode_ci in MySQL): COLLATE NOCASE
-- makes the unique index serve case-insensitive look-ups.
CREATE TABLE IF NOT EXISTS "user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NULL,
    "username" VARCHAR(100) NOT NULL COLLATE NOCASE,
    "username_canonical" VARCHAR(100) NOT NULL,
    "email_canonical" VARCHAR(100) NOT NULL,
    "email" VARCHAR(100) NOT NULL,
    "locked" TINYINT(1) NOT NULL,
    "enabled" TINYINT(1) NOT NULL,
    "expired" TINYINT(1) NOT NULL,
    "credentials_expired" TINYINT(1) NOT NULL,
    "credentials_expire_at" DATETIME NULL,
    "expires_at" DATETIME NULL,
    "lastname" VARCHAR(60) NULL,
    "firstname" VARCHAR(60) NULL,
    "password" VARCHAR(255) NOT NULL,
    "phone" VARCHAR(30) NULL,
    "address" VARCHAR(250) NULL,
    "salt" VARCHAR(255) NOT NULL,
    "last_login" DATETIME NULL,
    "created_at" DATETIME NULL,
    "updated_at" DATETIME NULL,
    "confirmation_token" VARCHAR(255) NULL,
    "password_requested_at" DATETIME NULL,
    "roles" TEXT NOT NULL,
    "profile_completed" TINYINT(1) NULL,
    "auth_source" VARCHAR(50) NULL,
    "status" INTEGER NOT NULL,
    "official_code" VARCHAR(40) NULL,
    "picture_uri" VARCHAR(250) NULL,
    "creator_id" INTEGER NULL,
    "competences" TEXT NULL,
    "diplomas" TEXT NULL,
    "openarea" TEXT NULL,
    "teach" TEXT NULL,
    "productions" VARCHAR(250) NULL,
    "language" VARCHAR(40) NULL,
    "registration_date" DATETIME NOT NULL,
    "expiration_date" DATETIME NULL,
    "active" TINYINT(1) NOT NULL,
    "openid" VARCHAR(255) NULL,
    "theme" VARCHAR(255) NULL,
    "hr_dept_id" SMALLINT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "UNIQ_8D93D649F85E0677" ON "user" ("username");
CREATE INDEX IF NOT EXISTS "status" ON "user" ("status");

CREATE TABLE IF NOT EXISTS "access_url_rel_user" (
    "access_url_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    PRIMARY KEY ("access_url_id", "user_id")
);
CREATE INDEX IF NOT EXISTS "idx_access_url_rel_user_user" ON "access_url_rel_user" ("user_id");

-- Platform administrators (UserManager::is_admin): as in a real 1.11.14 database, no foreign key.
CREATE TABLE IF NOT EXISTS "admin" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL UNIQUE
);

-- extra_field_type: 1 = user; field_type: 1 = text.
CREATE TABLE IF NOT EXISTS "extra_field" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "extra_field_type" INTEGER NOT NULL,
    "field_type" INTEGER NOT NULL,
    "variable" VARCHAR(255) NOT NULL,
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
    "field_id" INTEGER NOT NULL,
    "value" TEXT NULL,
    "item_id" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "comment" TEXT NULL
);
CREATE INDEX IF NOT EXISTS "idx_efv_fid_itid" ON "extra_field_values" ("field_id", "item_id");
CREATE INDEX IF NOT EXISTS "idx_efv_item" ON "extra_field_values" ("item_id");

-- Classes (group_type 0) and social groups (group_type 1).
CREATE TABLE IF NOT EXISTS "usergroup" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "name" VARCHAR(255) NOT NULL,
    "description" TEXT NULL,
    "group_type" INTEGER NOT NULL,
    "picture" VARCHAR(255) NULL,
    "url" VARCHAR(255) NULL,
    "visibility" VARCHAR(255) NOT NULL,
    "author_id" INTEGER NULL,
    "allow_members_leave_group" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

CREATE TABLE IF NOT EXISTS "usergroup_rel_user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "usergroup_id" INTEGER NULL,
    "user_id" INTEGER NULL,
    "relation_type" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS "IDX_739515A9A76ED395" ON "usergroup_rel_user" ("user_id");
CREATE INDEX IF NOT EXISTS "IDX_739515A9D2112630" ON "usergroup_rel_user" ("usergroup_id");

CREATE TABLE IF NOT EXISTS "access_url_rel_usergroup" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "access_url_id" INTEGER NOT NULL,
    "usergroup_id" INTEGER NOT NULL
);
