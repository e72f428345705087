-- ghost's own case: JSON with a VIRTUAL generated column (indexed) and a STORED one; the ALTER indexes the stored one
-- and redefines the virtual one, while the writers change the JSON both are computed from.
drop table if exists gh_ost_test;
create table gh_ost_test (
  id int unsigned not null auto_increment primary key,
  doc json not null,
  kind varchar(20) as (json_unquote(json_extract(doc, '$.kind'))) virtual,
  total decimal(12,2) as (json_extract(doc, '$.total')) stored,
  key kind_idx (kind)
);
insert into gh_ost_test (doc) select json_object('kind', concat('k', seq % 9), 'total', seq * 1.25, 'tags', json_array(seq, 'x')) from seq_1_to_1200;
drop event if exists gh_ost_test;
delimiter ;;
create event gh_ost_test on schedule every 1 second starts current_timestamp ends current_timestamp + interval 60 second
  on completion not preserve enable do
begin
  insert into gh_ost_test (doc) values (json_object('kind', 'ev', 'total', rand() * 100));
  update gh_ost_test set doc = json_set(doc, '$.total', 99.5) where id = 1 + floor(rand() * 1200);
  update gh_ost_test set doc = json_set(doc, '$.kind', 'moved') where id = 1 + floor(rand() * 1200);
  delete from gh_ost_test where id = 1 + floor(rand() * 1200);
end ;;
