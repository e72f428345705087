-- ghost's own case: a composite primary key replaced by the same columns in the other order (the shared key ghost
-- copies by), with writers that move rows between tenants; DOUBLE values.
drop table if exists gh_ost_test;
create table gh_ost_test (
  tenant int not null,
  name varchar(20) character set latin1 not null,
  v double null,
  primary key (tenant, name)
);
insert into gh_ost_test select seq % 7, concat('n', seq), seq / 3 from seq_1_to_1500;
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test on schedule every 1 second starts current_timestamp ends current_timestamp + interval 60 second
  on completion not preserve enable do
begin
  insert ignore into gh_ost_test values (floor(rand() * 7), concat('e', floor(rand() * 100000)), rand());
  update gh_ost_test set v = v * 2 where tenant = 3 and name like 'n1%' limit 5;
  update gh_ost_test set tenant = tenant + 100 where tenant = 5 limit 1;
  delete from gh_ost_test where tenant = 6 limit 1;
end ;;
