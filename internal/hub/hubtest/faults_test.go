package hubtest

import (
	"strings"
	"testing"
	"time"
)

func TestParseFault(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Fault
	}{
		{"commit:lose", Fault{Kind: "commit", Lose: true}},
		{"part:drop@65536x2", Fault{Kind: "part", Drop: 65536, Times: 2}},
		{"upload:drop@0", Fault{Kind: "upload", Drop: -1}},
		{"batch:429", Fault{Kind: "batch", Status: 429, RetryAfter: 1}},
		{"batch:429@0x3", Fault{Kind: "batch", Status: 429, RetryAfter: 0, Times: 3}},
		{"preupload:503", Fault{Kind: "preupload", Status: 503, RetryAfter: -1}},
		{"part:delay@300ms", Fault{Kind: "part", Delay: 300 * time.Millisecond}},
		{"*:503~0.3", Fault{Kind: "*", Status: 503, RetryAfter: -1, Rate: 0.3}},
	} {
		got, err := ParseFault(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"commit", "commit:explode", "nothing:503", "part:drop", "part:delay@soon", "commit:503x"} {
		if _, err := ParseFault(bad); err == nil || !strings.Contains(err.Error(), "fault rule") {
			t.Errorf("ParseFault(%q) = %v, want an error naming the rule", bad, err)
		}
	}
}

func TestFaultsPickOneAtATime(t *testing.T) {
	f := newFaults(1, []Fault{{Kind: "commit", Lose: true, Times: 1}, {Kind: "commit", Status: 502, Times: 1}, {Kind: "*", Delay: time.Millisecond}})
	var got []string
	for range 3 {
		fault, delay, ok := f.pick("commit")
		if delay != time.Millisecond {
			t.Errorf("delay %v, want the * delay on every request", delay)
		}
		switch {
		case !ok:
			got = append(got, "none")
		case fault.Lose:
			got = append(got, "lose")
		default:
			got = append(got, "502")
		}
	}
	if strings.Join(got, ",") != "lose,502,none" {
		t.Errorf("faults %v, want each rule to hit once, in order", got)
	}
	if _, _, ok := f.pick("whoami"); ok {
		t.Error("* must not hit whoami: the pre-flight needs it")
	}
}
