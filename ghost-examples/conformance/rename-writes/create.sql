-- ghost's own case: a renamed column (--approve-renamed-columns) and a column moved and widened, while the writers
-- change the renamed column and move primary keys; TIMESTAMP(6).
drop table if exists gh_ost_test;
create table gh_ost_test (
  id bigint not null auto_increment primary key,
  old_name varchar(40) not null,
  qty int null,
  at timestamp(6) null
);
insert into gh_ost_test (old_name, qty, at) select concat('n', seq), seq, '2020-01-01 00:00:00' + interval seq second from seq_1_to_1500;
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test on schedule every 1 second starts current_timestamp ends current_timestamp + interval 60 second
  on completion not preserve enable do
begin
  insert into gh_ost_test (old_name, qty, at) values (concat('ev', rand()), null, now(6));
  update gh_ost_test set old_name = concat(old_name, '+'), at = now(6) where id = 1 + floor(rand() * 1500);
  update gh_ost_test set id = id + 100000 where id = 1 + floor(rand() * 1500);
  delete from gh_ost_test where id = 1 + floor(rand() * 1500);
end ;;
