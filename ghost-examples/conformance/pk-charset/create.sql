-- ghost's own case: a latin1 primary key with accents converted to utf8mb4_unicode_ci (another collation of the key),
-- while the writers move keys and change rows.
drop table if exists gh_ost_test;
create table gh_ost_test (
  code varchar(24) character set latin1 collate latin1_swedish_ci not null primary key,
  label varchar(50) character set latin1 not null,
  qty smallint not null
);
insert into gh_ost_test select concat('c', seq, if(seq % 5 = 0, 'é', '')), concat('label ', seq, ' ü'), seq % 1000 from seq_1_to_1500;
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test on schedule every 1 second starts current_timestamp ends current_timestamp + interval 60 second
  on completion not preserve enable do
begin
  insert ignore into gh_ost_test values (concat('ev', floor(rand() * 100000), 'ß'), 'ev Ä', 1);
  update gh_ost_test set code = concat(code, 'x') where code = concat('c', 1 + floor(rand() * 1500));
  update gh_ost_test set qty = qty + 1, label = concat(label, 'ö') where code like 'c1%' limit 4;
  delete from gh_ost_test where code = concat('c', 1 + floor(rand() * 1500), 'é');
end ;;
