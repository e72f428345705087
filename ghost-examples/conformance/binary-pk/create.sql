-- ghost's own case: a VARBINARY(16) primary key of random bytes that the writers move, a BLOB, BIGINT UNSIGNED at its top;
-- the ALTER converts the table to utf8mb4 (a latin1 column with accents) and adds a column.
drop table if exists gh_ost_test;
create table gh_ost_test (
  id varbinary(16) not null,
  name varchar(40) character set latin1 not null,
  payload blob null,
  n bigint unsigned not null,
  primary key (id)
);
insert into gh_ost_test (id, name, payload, n) select unhex(md5(seq)), concat('name ', seq, ' é'), if(seq % 3 = 0, null, unhex(sha2(seq, 256))), 18446744073709551615 - seq from seq_1_to_2000;
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test on schedule every 1 second starts current_timestamp ends current_timestamp + interval 60 second
  on completion not preserve enable do
begin
  insert into gh_ost_test (id, name, payload, n) values (unhex(md5(rand())), 'ev', unhex(md5(rand())), floor(rand() * 1000));
  update gh_ost_test set id = unhex(md5(rand())) where id = unhex(md5(1 + floor(rand() * 2000)));
  update gh_ost_test set payload = null, n = n - 1 where id = unhex(md5(1 + floor(rand() * 2000)));
  delete from gh_ost_test where id = unhex(md5(1 + floor(rand() * 2000)));
end ;;
