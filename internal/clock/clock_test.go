package clock

import (
	"testing"
	"time"
)

func TestSetForTest(t *testing.T) {
	t.Cleanup(func() { SetForTest("") })
	if err := SetForTest("2026-05-01T10:00:00Z"); err != nil || !Now().Equal(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("absolute: %v %v", Now(), err)
	}
	if err := SetForTest("2026-03-01"); err != nil || !Now().Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date: %v %v", Now(), err)
	}
	for v, want := range map[string]time.Duration{"+100d": 100 * 24 * time.Hour, "-36h": -36 * time.Hour} {
		if err := SetForTest(v); err != nil {
			t.Fatal(err)
		}
		if d := time.Until(Now()); d < want-time.Minute || d > want+time.Minute {
			t.Errorf("%s is %v ahead", v, d)
		}
	}
	for _, v := range []string{"tomorrow", "+d", "+-3d", "+3x"} {
		if err := SetForTest(v); err == nil {
			t.Errorf("accepted %q", v)
		}
	}
	if err := SetForTest(""); err != nil || time.Since(Now()).Abs() > time.Minute {
		t.Errorf("empty does not restore the real clock: %v %v", Now(), err)
	}
}
