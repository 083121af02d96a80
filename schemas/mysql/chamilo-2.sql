-- Chamilo 2.0 tables the gateway reads and writes, for MySQL and MariaDB (demo portals and tests).
-- Regenerated column for column from chamilo/chamilo-lms, src/CoreBundle/Entity/ unless named otherwise:
--   User.php (commit 251179e2af55763807c633b21e28facb63a7dbe6),
--   ExtraField.php and ExtraFieldValues.php as current master has them (item_type, value_type,
--   auto_remove NOT NULL DEFAULT 0; field_value, asset_id; the copies read carry no commit id, the
--   older commits 3ff5ba26c881dbdf8e82390d6a4db4b52c5fbd3e / 427f7d7c1d760063339b0cdd0a4990a949ee8958
--   still have 1.11's extra_field_type / field_type / value), UserAuthSource.php
--   (23583c412ad96ab67e24cb5b22b5ba460bac6b3f),
--   ResourceNode.php (0017efb4377ee83d267f07d5e446040016203ed0), ResourceType.php
--   (238e60a0cfaf33dc218b9e4d22d43c31a5531dbe has `name`; 2.0 renamed it `title`, not confirmed in a
--   stored copy: check --connect names it if a portal differs), AccessUrl.php (022049e1fadd8289f41ad8033875525202013eac,
--   plus the nested-tree columns of 2.0's AccessUrl), Repository/Node/UserRepository.php
--   (004edaa8ee7101fc99be97658c120797c2a33c17), DataFixtures/AccessUserFixtures.php
--   (80b197c25d5d26ae14758441e148b236eabc3793), and the utf8mb4 conversion of
--   Migrations/Schema/V200/Version20251202103000.php (5d9593156a2dbb9542bd37144e7926bca1959419).
-- `uuid` is Doctrine's uuid type, BINARY(16) on MySQL; locale and timezone replace language; active is
-- an integer (1, 0, -1 expired, -2 soft-deleted); the authentication source lives in user_auth_source;
-- every user has a resource_node (user.resource_node_id). The installer's accounts are seeded as a real
-- install has them (admin id 1, anon status 6, fallback_user status 99) but, unlike a real install, not
-- linked to any access URL: tests and demos link them where they need them.
-- Index names of the tables the previous DDL had are Doctrine's generated ones; those of resource_node,
-- resource_type and access_url's tree columns are stand-ins (Doctrine's were not read). Idempotent.
-- Each statement ends in ';' at the end of a line (tests apply it statement by statement).

CREATE TABLE IF NOT EXISTS `resource_type` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `tool_id` int(11) DEFAULT NULL,
  `title` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `IDX_83FEF7938F7B22CC` (`tool_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO `resource_type` (`id`, `tool_id`, `title`, `created_at`, `updated_at`)
VALUES (1, NULL, 'users', '2024-01-01 00:00:00', '2024-01-01 00:00:00');

CREATE TABLE IF NOT EXISTS `resource_node` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `resource_type_id` int(11) NOT NULL,
  `resource_file_id` int(11) DEFAULT NULL,
  `creator_id` int(11) DEFAULT NULL,
  `parent_id` int(11) DEFAULT NULL,
  `title` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  `slug` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  `level` int(11) DEFAULT NULL,
  `path` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `public` tinyint(1) NOT NULL,
  `uuid` binary(16) NOT NULL COMMENT '(DC2Type:uuid)',
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `UNIQ_8A5F48FFD17F50A6` (`uuid`),
  KEY `IDX_8A5F48FF98EC6B7B` (`resource_type_id`),
  KEY `IDX_8A5F48FF61220EA6` (`creator_id`),
  KEY `IDX_8A5F48FF727ACA70` (`parent_id`),
  CONSTRAINT `FK_8A5F48FF98EC6B7B` FOREIGN KEY (`resource_type_id`) REFERENCES `resource_type` (`id`),
  CONSTRAINT `FK_8A5F48FF727ACA70` FOREIGN KEY (`parent_id`) REFERENCES `resource_node` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `access_url` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `resource_node_id` int(11) DEFAULT NULL,
  `parent_id` int(11) DEFAULT NULL,
  `tree_root` int(11) DEFAULT NULL,
  `url` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  `description` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `active` int(11) NOT NULL,
  `created_by` int(11) NOT NULL,
  `tms` datetime DEFAULT NULL,
  `url_type` tinyint(1) DEFAULT NULL,
  `limit_courses` int(11) DEFAULT NULL,
  `limit_active_courses` int(11) DEFAULT NULL,
  `limit_sessions` int(11) DEFAULT NULL,
  `limit_users` int(11) DEFAULT NULL,
  `limit_teachers` int(11) DEFAULT NULL,
  `limit_disk_space` int(11) DEFAULT NULL,
  `email` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `lft` int(11) DEFAULT NULL,
  `lvl` int(11) DEFAULT NULL,
  `rgt` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `UNIQ_9436187B1BAD783F` (`resource_node_id`),
  KEY `IDX_9436187B727ACA70` (`parent_id`),
  KEY `IDX_9436187BA977936C` (`tree_root`),
  CONSTRAINT `FK_9436187B1BAD783F` FOREIGN KEY (`resource_node_id`) REFERENCES `resource_node` (`id`) ON DELETE CASCADE,
  CONSTRAINT `FK_9436187B727ACA70` FOREIGN KEY (`parent_id`) REFERENCES `access_url` (`id`) ON DELETE CASCADE,
  CONSTRAINT `FK_9436187BA977936C` FOREIGN KEY (`tree_root`) REFERENCES `access_url` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO `access_url` (`id`, `url`, `description`, `active`, `created_by`, `tms`, `url_type`, `lft`, `lvl`, `rgt`)
VALUES (1, 'http://localhost/', '', 1, 1, '2024-01-01 00:00:00', NULL, 1, 0, 2);

CREATE TABLE IF NOT EXISTS `user` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `resource_node_id` int(11) DEFAULT NULL,
  `username` varchar(100) COLLATE utf8mb4_unicode_ci NOT NULL,
  `api_token` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `firstname` varchar(64) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `lastname` varchar(64) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `website` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `biography` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `locale` varchar(10) COLLATE utf8mb4_unicode_ci NOT NULL,
  `password` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  `username_canonical` varchar(180) COLLATE utf8mb4_unicode_ci NOT NULL,
  `timezone` varchar(64) COLLATE utf8mb4_unicode_ci NOT NULL,
  `email_canonical` varchar(100) COLLATE utf8mb4_unicode_ci NOT NULL,
  `email` varchar(100) COLLATE utf8mb4_unicode_ci NOT NULL,
  `locked` tinyint(1) NOT NULL,
  `expired` tinyint(1) NOT NULL,
  `credentials_expired` tinyint(1) NOT NULL,
  `credentials_expire_at` datetime DEFAULT NULL,
  `date_of_birth` datetime DEFAULT NULL,
  `expires_at` datetime DEFAULT NULL,
  `phone` varchar(64) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `address` varchar(250) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `salt` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  `gender` varchar(1) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `last_login` datetime DEFAULT NULL,
  `confirmation_token` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `password_requested_at` datetime DEFAULT NULL,
  `roles` longtext COLLATE utf8mb4_unicode_ci NOT NULL COMMENT '(DC2Type:array)',
  `profile_completed` tinyint(1) DEFAULT NULL,
  `status` int(11) NOT NULL,
  `official_code` varchar(40) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `picture_uri` varchar(250) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `creator_id` int(11) DEFAULT NULL,
  `competences` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `diplomas` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `openarea` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `teach` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `productions` varchar(250) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `expiration_date` datetime DEFAULT NULL,
  `active` int(11) NOT NULL,
  `openid` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `theme` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `hr_dept_id` smallint(6) DEFAULT NULL,
  `uuid` binary(16) NOT NULL COMMENT '(DC2Type:uuid)',
  `mfa_enabled` tinyint(1) NOT NULL DEFAULT 0,
  `mfa_service` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `mfa_secret` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `mfa_backup_codes` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `mfa_last_used` datetime DEFAULT NULL,
  `password_updated_at` datetime DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `UNIQ_8D93D649F85E0677` (`username`),
  UNIQUE KEY `UNIQ_8D93D6497BA2F5EB` (`api_token`),
  UNIQUE KEY `UNIQ_8D93D649D17F50A6` (`uuid`),
  UNIQUE KEY `UNIQ_8D93D6491BAD783F` (`resource_node_id`),
  KEY `status` (`status`),
  CONSTRAINT `FK_8D93D6491BAD783F` FOREIGN KEY (`resource_node_id`) REFERENCES `resource_node` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The installer's accounts (AccessUserFixtures): the root administrator, whose resource node it created
-- itself (UserRepository::getRootUser), the anonymous user (status 6) and the fallback user that
-- inherits content on a hard delete (status 99). Their password '!' is no hash: nobody logs in as them
-- in a demo database.
INSERT IGNORE INTO `resource_node` (`id`, `resource_type_id`, `creator_id`, `parent_id`, `title`, `slug`, `level`, `path`, `public`, `uuid`, `created_at`, `updated_at`)
VALUES (1, 1, 1, NULL, 'admin', 'admin', 1, 'admin-1/', 0, UNHEX('0193c0a0000070008000000000000001'), '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (2, 1, 1, NULL, 'anon', 'anon', 1, 'anon-2/', 0, UNHEX('0193c0a0000070008000000000000002'), '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (3, 1, 1, NULL, 'fallback_user', 'fallback-user', 1, 'fallback_user-3/', 0, UNHEX('0193c0a0000070008000000000000003'), '2024-01-01 00:00:00', '2024-01-01 00:00:00');

INSERT IGNORE INTO `user` (`id`, `resource_node_id`, `username`, `firstname`, `lastname`, `locale`, `password`, `username_canonical`, `timezone`, `email_canonical`, `email`, `locked`, `expired`, `credentials_expired`, `salt`, `roles`, `status`, `official_code`, `creator_id`, `active`, `uuid`, `mfa_enabled`, `created_at`, `updated_at`)
VALUES (1, 1, 'admin', 'Joe', 'Doe', 'en_US', '!', 'admin', 'Europe/Paris', 'admin@example.org', 'admin@example.org', 0, 0, 0, '', 'a:2:{i:0;s:10:"ROLE_ADMIN";i:1;s:17:"ROLE_GLOBAL_ADMIN";}', 1, 'ADMIN', 1, 1, UNHEX('0193c0a0000070008000000000000011'), 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (2, 2, 'anon', 'Anonymous', 'Joe', 'en_US', '!', 'anon', 'Europe/Paris', 'anonymous@localhost', 'anonymous@localhost', 0, 0, 0, '', 'a:1:{i:0;s:14:"ROLE_ANONYMOUS";}', 6, 'anonymous', 1, 1, UNHEX('0193c0a0000070008000000000000012'), 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (3, 3, 'fallback_user', 'Fallback', 'User', 'en_US', '!', 'fallback_user', 'Europe/Paris', 'fallback@localhost', 'fallback@localhost', 0, 0, 0, '', 'a:0:{}', 99, 'FALLBACK', 1, 0, UNHEX('0193c0a0000070008000000000000013'), 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00');

CREATE TABLE IF NOT EXISTS `access_url_rel_user` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `user_id` int(11) DEFAULT NULL,
  `access_url_id` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `IDX_85574263A76ED395` (`user_id`),
  KEY `IDX_8557426373444FD5` (`access_url_id`),
  CONSTRAINT `FK_85574263A76ED395` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE,
  CONSTRAINT `FK_8557426373444FD5` FOREIGN KEY (`access_url_id`) REFERENCES `access_url` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Platform administrators of installs that still carry the admin table (Chamilo 2.0 itself marks
-- them with ROLE_ADMIN / ROLE_GLOBAL_ADMIN in user.roles).
CREATE TABLE IF NOT EXISTS `admin` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `user_id` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `user_id` (`user_id`),
  FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `user_auth_source` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `url_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `authentication` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  PRIMARY KEY (`id`),
  KEY `IDX_D632110481CFDAE7` (`url_id`),
  KEY `IDX_D6321104A76ED395` (`user_id`),
  CONSTRAINT `FK_D632110481CFDAE7` FOREIGN KEY (`url_id`) REFERENCES `access_url` (`id`),
  CONSTRAINT `FK_D6321104A76ED395` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `extra_field` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `item_type` int(11) NOT NULL,
  `value_type` int(11) NOT NULL,
  `variable` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  `description` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `display_text` varchar(255) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `helper_text` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `default_value` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `field_order` int(11) DEFAULT NULL,
  `visible_to_self` tinyint(1) DEFAULT NULL,
  `visible_to_others` tinyint(1) DEFAULT NULL,
  `changeable` tinyint(1) DEFAULT NULL,
  `filter` tinyint(1) DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `auto_remove` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- asset_id references 2.0's asset table (uploaded files), which the gateway never writes; no key here.
CREATE TABLE IF NOT EXISTS `extra_field_values` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `field_id` int(11) DEFAULT NULL,
  `asset_id` binary(16) DEFAULT NULL COMMENT '(DC2Type:uuid)',
  `field_value` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `item_id` int(11) NOT NULL,
  `comment` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_efv_fiii` (`field_id`, `item_id`),
  KEY `idx_efv_item` (`item_id`),
  KEY `IDX_171DF9245DA1941` (`asset_id`),
  CONSTRAINT `FK_171DF924443707B0` FOREIGN KEY (`field_id`) REFERENCES `extra_field` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `usergroup_rel_user` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `user_id` int(11) DEFAULT NULL,
  `usergroup_id` int(11) DEFAULT NULL,
  `relation_type` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `IDX_739515A9A76ED395` (`user_id`),
  KEY `IDX_739515A9D2112630` (`usergroup_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
