#!/usr/bin/perl
# Summarizes the sanitizer and valgrind report files that the harness
# copied (TEST_NGINX_REPORT_DIR): how many there are, how many involve the
# module (those failed their test), and what the others are, by their
# first frames.  contrib/test/asan.sh and valgrind.sh run it.
#
#     perl -I t/lib contrib/test/report-summary.pl DIR

use strict;
use warnings;

use Test::Blog::Nginx;

my $dir = shift // die "usage: $0 DIR\n";
opendir my $dh, $dir or die "$dir: $!\n";
my @files = sort grep { /\.(?:asan|ubsan|valgrind)\.\d+$/ } readdir $dh;
closedir $dh;

my (%files, %module, %other);

for my $name (@files) {
    my ($tool) = $name =~ /\.(asan|ubsan|valgrind)\.\d+$/;
    open my $fh, '<', "$dir/$name" or next;
    local $/;
    my $text = <$fh>;
    close $fh;
    $files{$tool}++;

    for my $r (Test::Blog::Nginx::parse_reports($tool, $text, 1)) {
        my ($what) = grep { /ERROR|runtime error|Direct leak|lost in loss
                            |Invalid|uninitialised|Mismatched|overlap/x }
                          @{ $r->{lines} };
        $what //= $r->{lines}[0];
        push @{ $module{$tool} }, "$name: $what";
    }

    # what the harness left out: nginx's own leaks and errors, by the
    # first two frames that are not the allocator
    for my $entry (split /\n(?:==\d+==)?\s*\n/, $text) {
        next unless $entry =~ /^(?:==\d+==\s+)?((?:Direct|Indirect) leak of \d+ byte|\S.* are definitely lost|Invalid \w+|Conditional jump|Syscall param|Use of uninitialised|Mismatched)/m;
        my $kind = $1;
        next if $entry =~ $Test::Blog::Nginx::MODULE_FRAME_RE;
        my @frames = map { /(?: in |: )(\S+)(?: \(|\s*$)/ ? $1 : () }
                     grep { /^\s*(?:==\d+==\s+)?(?:#\d+|at|by) / } split /\n/, $entry;
        @frames = grep { !/^(?:__interceptor_\w+|(?:m|c|re)alloc|free
                            |operator\b.*|\?\?\?)$/x } @frames;
        my $at = join ' < ', @frames[0 .. ($#frames < 2 ? $#frames : 2)];
        $kind =~ s/ of \d+ byte| \d+ bytes.*//;
        $kind =~ s/^\S.* are definitely lost/definitely lost/;
        $other{"$kind at $at"}++;
    }
}

my $n = 0;
$n += $_ for values %files;
printf "reports: %d file(s) (%s)\n", $n,
       join(', ', map { "$_ $files{$_}" } sort keys %files) || 'none';

my $bad = 0;
for my $tool (sort keys %module) {
    $bad += @{ $module{$tool} };
    print "  involving the module ($tool): $_\n" for @{ $module{$tool} };
}
print "  involving the module: none\n" unless $bad;

if (%other) {
    print "  left out (no frame in the module), by count:\n";
    printf "    %4d  %s\n", $other{$_}, $_
        for sort { $other{$b} <=> $other{$a} || $a cmp $b } keys %other;
}

exit($bad ? 1 : 0);
