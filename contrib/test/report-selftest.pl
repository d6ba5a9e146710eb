#!/usr/bin/perl
# The harness' reading of sanitizer and valgrind reports
# (Test::Blog::Nginx::parse_reports), on made-up report files: what must
# fail a test (an error, a leak of the module's) and what must not
# (nginx's own leaks at exit, a report still being written).
# contrib/test/asan.sh and valgrind.sh run it first.

use strict;
use warnings;

use Test::More;
use Test::Blog::Nginx;

sub reports { Test::Blog::Nginx::parse_reports(@_) }
sub text { join "\n", map { join "\n", @{ $_->{lines} } } @_ }

my $leaks = <<'END';

=================================================================
==100==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 61440 byte(s) in 1 object(s) allocated from:
    #0 0x7f in __interceptor_malloc asan_malloc_linux.cpp:69
    #1 0x55 in ngx_alloc (/usr/sbin/nginx+0x4ccfe)
    #2 0x55 in ngx_spawn_process (/usr/sbin/nginx+0x50212)

Direct leak of 96 byte(s) in 1 object(s) allocated from:
    #0 0x7f in __interceptor_malloc asan_malloc_linux.cpp:69
    #1 0x7f in blog_arena_chunk ngx_blog_module/core/blog_value.c:70
    #2 0x55 in ngx_conf_parse (/usr/sbin/nginx+0x3b60d)

Indirect leak of 16872 byte(s) in 4 object(s) allocated from:
    #0 0x7f in __interceptor_malloc asan_malloc_linux.cpp:69
    #1 0x7f in blog_tmpl_add ngx_blog_module/core/blog_template.c:289

SUMMARY: AddressSanitizer: 78408 byte(s) leaked in 6 allocation(s).
END

my @r = reports('asan', $leaks, 0);
is(scalar @r, 1, 'a leak report with a direct leak of the module counts');
like(text(@r), qr/blog_arena_chunk/, '... with that leak');
unlike(text(@r), qr/ngx_spawn_process|blog_tmpl_add/,
       "... without nginx's leak or the indirect one");

(my $nginx_only = $leaks)
    =~ s/blog_arena_chunk \S+/ngx_array_create (\/usr\/sbin\/nginx+0x1)/;
is(scalar reports('asan', $nginx_only, 1), 0,
   "nginx's own leaks at exit do not count, nor indirect ones");

my $uaf = <<'END';
=================================================================
==101==ERROR: AddressSanitizer: heap-use-after-free on address 0x6
READ of size 1 at 0x6 thread T0
    #0 0x7f in ngx_http_blog_send ngx_blog_module/nginx/x.c:1
SUMMARY: AddressSanitizer: heap-use-after-free x.c:1 in ngx_http_blog_send
Shadow bytes around the buggy address:
END

is(scalar reports('asan', $uaf, 0), 0,
   'an error report is not taken while its process still writes it');
@r = reports('asan', $uaf . "==101==ABORTING\n", 0);
is(scalar @r, 1, 'an ASan error counts once it is complete');
like(text(@r), qr/heap-use-after-free/, '... whole');
is(scalar reports('asan', $uaf, 1), 1, '... or once its process is gone');

my $ubsan = <<'END';
ngx_blog_module/core/blog_buf.c:42:7: runtime error: signed integer overflow
    #0 0x7f in blog_buf_grow ngx_blog_module/core/blog_buf.c:42

ngx_blog_module/core/blog_date.c:9:1: runtime error: shift exponent 40
    #0 0x7f in blog_date_parse ngx_blog_module/core/blog_date.c:9
END

@r = reports('ubsan', $ubsan, 1);
is(scalar @r, 2, 'each UBSan report counts');
like(text($r[1]), qr/shift exponent.*\n.*blog_date_parse/, '... with its stack');

my $vg = <<'END';
==200== Syscall param epoll_ctl(event) points to uninitialised byte(s)
==200==    at 0x4A: epoll_ctl (syscall-template.S:120)
==200==    by 0x1B: ??? (in /usr/sbin/nginx)
==200== 
==200== Invalid read of size 1
==200==    at 0x48: blog_escape_html (blog_escape.c:30)
==200==    by 0x49: ngx_http_blog_handler (ngx_http_blog_handler.c:80)
==200==  Address 0x5 is 0 bytes after a block of size 16 alloc'd
==200==    at 0x48: malloc (vg_replace_malloc.c:381)
==200== 
==200== 48 bytes in 1 blocks are possibly lost in loss record 3 of 9
==200==    at 0x48: malloc (vg_replace_malloc.c:381)
==200==    by 0x49: cmark_parse_document (in /usr/lib/libcmark.so)
==200== 
==200== 32 bytes in 1 blocks are definitely lost in loss record 4 of 9
==200==    at 0x48: malloc (vg_replace_malloc.c:381)
==200==    by 0x49: yaml_parser_initialize (in /usr/lib/libyaml-0.so.2)
==200== 
==200== 64 bytes in 1 blocks are definitely lost in loss record 5 of 9
==200==    at 0x48: malloc (vg_replace_malloc.c:381)
==200==    by 0x49: ngx_alloc (in /usr/sbin/nginx)
==200== 
END

@r = reports('valgrind', $vg, 1);
is(scalar @r, 2, 'valgrind: the error and the definite leak in the module');
like(text($r[0]), qr/Invalid read.*\n.*blog_escape_html/, '... the error');
like(text($r[1]), qr/definitely lost.*\n.*\n.*yaml_parser/, '... the leak');

(my $partial = $vg) =~ s/==200== \n==200== 64 bytes.*//s;
@r = reports('valgrind', $partial, 0);
is(scalar @r, 1, 'valgrind: a block not yet ended waits');

ok(Test::Blog::Nginx::is_report_line("[alert] logs/asan.12: x"),
   'report lines are known as such');

done_testing();
