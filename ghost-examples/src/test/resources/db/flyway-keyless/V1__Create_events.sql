-- A table without a primary or unique key: ghost cannot migrate it online.
CREATE TABLE events (happened DATETIME(6) NOT NULL, what VARCHAR(32) NOT NULL) ENGINE = InnoDB;
INSERT INTO events VALUES ('2025-01-01 10:00:00.000001', 'signed up'), ('2025-01-01 10:00:00.000001', 'signed up');
