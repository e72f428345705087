-- ghost's own case: SET, BIT, YEAR, TIME(4) and FLOAT at their edges; the ALTER appends a SET member, widens the
-- BIT and adds a column first.
drop table if exists gh_ost_test;
create table gh_ost_test (
  id int unsigned not null primary key,
  tags set('red','green','blue','x y') not null default '',
  bits bit(10) null,
  yr year null,
  t time(4) null,
  f float null
);
insert into gh_ost_test select seq, elt(1 + seq % 4, '', 'red', 'green,blue', 'red,x y'), seq % 1024, 1901 + seq % 255, sec_to_time(seq * 7.1234), seq / 7 from seq_1_to_1500;
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test on schedule every 1 second starts current_timestamp ends current_timestamp + interval 60 second
  on completion not preserve enable do
begin
  insert ignore into gh_ost_test values (2000 + floor(rand() * 100000), 'blue', b'1010101010', 2155, '-838:59:59.0000', 3.4e38);
  update gh_ost_test set tags = 'red,green,blue,x y', bits = b'1111111111', yr = null where id = 1 + floor(rand() * 1500);
  update gh_ost_test set t = t + interval 1 second, f = f * -1 where id = 1 + floor(rand() * 1500);
  delete from gh_ost_test where id = 1 + floor(rand() * 1500);
end ;;
