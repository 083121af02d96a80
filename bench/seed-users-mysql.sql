-- MariaDB twin of bench/seed-users.sql (same users, same shape; see there): @COUNT@ users with
-- ids 1…@COUNT@, numbers from MariaDB's SEQUENCE engine (seq_1_to_N). Run by bench/run as
-- sed 's/@COUNT@/N/g' bench/seed-users-mysql.sql | mariadb …
SET unique_checks = 0;
START TRANSACTION;
INSERT INTO `extra_field` (`extra_field_type`, `field_type`, `variable`, `display_text`, `default_value`,
    `field_order`, `visible_to_self`, `visible_to_others`, `changeable`, `filter`, `created_at`)
SELECT 1, 1, n.name, n.name, '', 0, 0, 0, 0, 0, '2024-01-01 00:00:00'
FROM (SELECT 'scim_external_id' AS name UNION ALL SELECT 'scim_version' UNION ALL SELECT 'scim_deprovisioned'
      UNION ALL SELECT 'scim_email_type' UNION ALL SELECT 'scim_email_not_primary' UNION ALL SELECT 'scim_phone_type'
      UNION ALL SELECT 'scim_phone_not_primary' UNION ALL SELECT 'scim_unassigned'
      UNION ALL SELECT 'scim_manager_id') n
WHERE NOT EXISTS (SELECT 1 FROM `extra_field` f WHERE f.`variable` = n.name AND f.`extra_field_type` = 1);

INSERT INTO `user` (`id`, `user_id`, `username`, `username_canonical`, `email`, `email_canonical`,
    `locked`, `enabled`, `expired`, `credentials_expired`, `lastname`, `firstname`, `password`, `salt`,
    `created_at`, `updated_at`, `roles`, `auth_source`, `status`, `language`, `registration_date`,
    `expiration_date`, `active`)
SELECT seq, seq,
    CONCAT(IF(seq % 10 = 0, 'User', 'user'), seq),
    CONCAT('user', seq),
    CONCAT('user', seq, '@example.org'),
    CONCAT('user', seq, '@example.org'),
    0, 1, 0, 0,
    CONCAT('Family', seq % 977), CONCAT('Given', seq % 613),
    '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a',
    MD5(seq),
    TIMESTAMPADD(SECOND, seq, '2024-01-01 00:00:00'),
    TIMESTAMPADD(SECOND, seq, '2024-01-01 00:00:00'),
    'a:0:{}', 'platform', 5, 'english',
    TIMESTAMPADD(SECOND, seq, '2024-01-01 00:00:00'),
    NULL, 1
FROM seq_1_to_@COUNT@;

INSERT INTO `access_url_rel_user` (`access_url_id`, `user_id`) SELECT 1, `id` FROM `user`;

INSERT INTO `extra_field_values` (`field_id`, `value`, `item_id`, `created_at`, `updated_at`)
SELECT f.`id`, CONCAT(LPAD(LOWER(HEX(u.`id`)), 8, '0'), '-0000-4000-8000-', LPAD(LOWER(HEX(u.`id`)), 12, '0')),
    u.`id`, u.`created_at`, u.`created_at`
FROM `user` u, `extra_field` f
WHERE f.`variable` = 'scim_external_id' AND f.`extra_field_type` = 1;

INSERT INTO `extra_field_values` (`field_id`, `value`, `item_id`, `created_at`, `updated_at`)
SELECT f.`id`, '1', u.`id`, u.`created_at`, u.`created_at`
FROM `user` u, `extra_field` f
WHERE f.`variable` = 'scim_version' AND f.`extra_field_type` = 1;
COMMIT;
