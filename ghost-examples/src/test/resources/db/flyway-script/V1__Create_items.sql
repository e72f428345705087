CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(32) CHARACTER SET utf8mb4 NOT NULL) ENGINE = InnoDB;
INSERT INTO items VALUES (1, 'pen'), (2, 'ink 🖋'), (3, 'paper');
