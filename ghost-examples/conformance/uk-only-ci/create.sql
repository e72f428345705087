-- ghost's own case: no primary key, a case-insensitive UNIQUE key on text that the writers change in case only
-- (the same key under its collation, other bytes), JSON, DECIMAL, fractional DATETIME; the ALTER widens a column and adds one.
drop table if exists gh_ost_test;
create table gh_ost_test (
  code varchar(32) character set utf8mb4 collate utf8mb4_general_ci not null,
  note text character set utf8mb4 null,
  amount decimal(10,4) null,
  seen datetime(3) not null,
  kind enum('a','b','c') not null default 'a',
  doc json null,
  unique key code_uk (code)
);
insert into gh_ost_test (code, note, amount, seen, kind, doc) values
  ('alpha', 'first ñ', 1.2345, now(3), 'a', '{"a": 1}'),
  ('Beta', null, null, now(3), 'b', null),
  ('gamma', '🚀 rocket', -0.0001, now(3), 'c', '[1,2,3]');
insert into gh_ost_test (code, note, amount, seen, kind, doc)
  select concat(code, '-', seq), concat(ifnull(note,''), seq), amount * seq, seen, kind, doc
  from gh_ost_test, seq_1_to_300;
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test on schedule every 1 second starts current_timestamp ends current_timestamp + interval 60 second
  on completion not preserve enable do
begin
  insert into gh_ost_test (code, note, amount, seen, kind, doc) values (concat('ev-', rand()), 'new', rand(), now(3), 'b', '{"ev": true}');
  update gh_ost_test set code = upper(code), amount = amount + 1 where code like 'alpha-1%' limit 3;
  update gh_ost_test set code = lower(code) where code like 'BETA-%' limit 2;
  update gh_ost_test set note = concat(note, '+'), seen = now(3) where code like 'gamma-2%';
  delete from gh_ost_test where code like 'gamma-1%' limit 1;
end ;;
