-- ghost's own case: a MEDIUMINT primary key widened to BIGINT while the writers move keys to the top of its range,
-- with a second UNIQUE key that the writers change and collide on.
drop table if exists gh_ost_test;
create table gh_ost_test (
  id mediumint unsigned not null primary key,
  other int not null,
  val varchar(10) null,
  unique key other_uk (other)
);
insert into gh_ost_test select seq, seq * 3, concat('v', seq) from seq_1_to_1500;
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test on schedule every 1 second starts current_timestamp ends current_timestamp + interval 60 second
  on completion not preserve enable do
begin
  update gh_ost_test set id = 16777215 - id where id = 1 + floor(rand() * 1500);
  update ignore gh_ost_test set other = other + 1 where id = 1 + floor(rand() * 1500);
  insert ignore into gh_ost_test values (1500 + floor(rand() * 100000), floor(rand() * 100000) * 3 + 1, 'ev');
  delete from gh_ost_test where other = 3 * (1 + floor(rand() * 1500));
end ;;
