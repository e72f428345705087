-- An ordinary SQL migration: Flyway runs it itself.
CREATE TABLE orders (
    id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
    amount   DECIMAL(14, 4) NULL,
    created  DATETIME(6) NOT NULL,
    payload  VARBINARY(64) NULL,
    status   TINYINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE = InnoDB;
