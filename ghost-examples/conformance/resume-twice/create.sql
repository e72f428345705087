drop table if exists gh_ost_test;
create table gh_ost_test (
  id int unsigned not null auto_increment,
  label varchar(64) character set utf8mb4 not null,
  amount decimal(12,3) null,
  touched datetime(6) not null,
  primary key (id)
) auto_increment=1;

-- 8192 rows: the first two runs copy slowly (--nice-ratio) so that each writes a checkpoint mid-copy.
insert into gh_ost_test (label, amount, touched) values ('seed-1', 1.5, now(6)), ('seed-2', null, now(6));
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 2), amount * 2, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 4), amount * 2, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 8), amount * 2, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 16), amount, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 32), amount, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 64), amount, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 128), amount, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 256), amount, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 512), amount, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 1024), amount, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 2048), amount, now(6) from gh_ost_test;
insert into gh_ost_test (label, amount, touched) select concat('r-', id + 4096), amount, now(6) from gh_ost_test;

-- Every second: a new row, rows changed in the copied and the uncopied part, a row deleted.
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test
  on schedule every 1 second
  starts current_timestamp
  ends current_timestamp + interval 300 second
  on completion not preserve
  enable
  do
begin
  insert into gh_ost_test (label, amount, touched) values (concat('ev-', rand()), rand() * 1000, now(6));
  update gh_ost_test set amount = coalesce(amount, 0) + 1, touched = now(6) where id = 1 + floor(rand() * 8192);
  update gh_ost_test set label = concat(label, '+'), touched = now(6) where id = 8000 + floor(rand() * 192);
  delete from gh_ost_test where id = 1 + floor(rand() * 8192);
end ;;
