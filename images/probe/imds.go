package main

// `probe imds`: what a pod obtains from the EC2 instance metadata service, path by path, the way the AWS SDKs ask
// (IMDSv2 token first, IMDSv1 as the fallback). It prints one JSON line per request: the status, the role names a
// path returned and whether credentials came back. Credential values are parsed and dropped here, inside the pod:
// they never reach the output, so they never reach a report.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ImdsStep is one request of `probe imds` and what came back.
type ImdsStep struct {
	Version     string   `json:"version"` // v1 (no token) or v2 (session token)
	Method      string   `json:"method"`
	Path        string   `json:"path"`
	Status      int      `json:"status"` // 0: no HTTP answer
	Roles       []string `json:"roles,omitempty"`
	Credentials bool     `json:"credentials"` // an AccessKeyId came back
	Error       string   `json:"error,omitempty"`
}

const (
	tokenPath    = "/latest/api/token"
	rolesPath    = "/latest/meta-data/iam/security-credentials/"
	tokenTTL     = "X-aws-ec2-metadata-token-ttl-seconds"
	tokenHeader  = "X-aws-ec2-metadata-token"
	maxImdsReply = 64 << 10
)

func imdsCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("imds", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "169.254.169.254:80", "metadata service HOST:PORT")
	timeout := fs.Duration("timeout", 2*time.Second, "per request")
	// A NetworkPolicy enforcer programs a new pod's rules after the pod starts; asking at once could slip through.
	delay := fs.Duration("delay", 0, "wait this long before the first request")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	time.Sleep(*delay)
	enc := json.NewEncoder(stdout)
	for _, step := range ImdsWalk(context.Background(), "http://"+*addr, *timeout) {
		_ = enc.Encode(step)
	}
	return 0
}

// ImdsWalk asks for a v2 token, then lists roles and fetches the first role's credentials with the token (when one
// came back) and without it (IMDSv1).
func ImdsWalk(ctx context.Context, base string, timeout time.Duration) []ImdsStep {
	client := &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var steps []ImdsStep
	tokenStep, token := imdsRequest(ctx, client, base, "PUT", tokenPath, map[string]string{tokenTTL: "60"})
	tokenStep.Version = "v2"
	steps = append(steps, tokenStep)
	versions := []struct{ name, token string }{{"v1", ""}}
	if token != "" {
		versions = append([]struct{ name, token string }{{"v2", token}}, versions...)
	}
	for _, v := range versions {
		headers := map[string]string{}
		if v.token != "" {
			headers[tokenHeader] = v.token
		}
		list, body := imdsRequest(ctx, client, base, "GET", rolesPath, headers)
		list.Version = v.name
		if list.Status == http.StatusOK {
			list.Roles = strings.Fields(body)
		}
		steps = append(steps, list)
		if len(list.Roles) == 0 {
			continue
		}
		creds, body := imdsRequest(ctx, client, base, "GET", rolesPath+list.Roles[0], headers)
		creds.Version = v.name
		if creds.Status == http.StatusOK {
			var doc struct{ AccessKeyId string }
			creds.Credentials = json.Unmarshal([]byte(body), &doc) == nil && doc.AccessKeyId != ""
		}
		steps = append(steps, creds)
	}
	return steps
}

// imdsRequest returns the step and the body (the caller keeps what it may print); a token body is the token.
func imdsRequest(ctx context.Context, client *http.Client, base, method, path string, headers map[string]string) (ImdsStep, string) {
	step := ImdsStep{Method: method, Path: path}
	req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
	if err != nil {
		step.Error = err.Error()
		return step, ""
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		step.Error = shortError(err)
		return step, ""
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxImdsReply))
	step.Status = resp.StatusCode
	if err != nil {
		step.Error = shortError(err)
	}
	if path == tokenPath && resp.StatusCode == http.StatusOK {
		return step, strings.TrimSpace(string(body))
	}
	return step, string(body)
}

func shortError(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && strings.Contains(s, "Client.Timeout") {
		return "timeout: " + s[i+2:]
	}
	return fmt.Sprint(s)
}
