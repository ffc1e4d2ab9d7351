package x12

import "testing"

// bench820 is an 820 of the size one CTX entry with three addenda carries.
const bench820 = "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PAYEE          *260317*1200*U*00401*000000001*0*P*>~" +
	"ST*820*0001~BPR*C*1000.00*C*ACH*CTX~TRN*1*R0000001~RMR*IV*INV0000001**600.00~RMR*IV*INV0000002**400.00~SE*6*0001~"

func BenchmarkParser_Parse(b *testing.B) {
	var p Parser
	b.SetBytes(int64(len(bench820)))
	b.ReportAllocs()
	cpu0, cpuOK := cpuTime()
	for b.Loop() {
		adv, err := p.Parse(bench820)
		if err != nil || len(adv.Items) != 2 {
			b.Fatal(err)
		}
	}
	// CPU time per parse: a measure that a busy machine distorts less than
	// the wall clock.
	if cpu1, ok := cpuTime(); ok && cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
