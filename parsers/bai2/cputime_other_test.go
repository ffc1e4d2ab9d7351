//go:build !unix

package bai2

import "time"

// cpuTime is not measured on this system.
func cpuTime() time.Duration { return 0 }
