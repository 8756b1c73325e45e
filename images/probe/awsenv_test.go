package main

import (
	"encoding/base64"
	"errors"
	"testing"
)

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestReadAwsEnvReportsNamesAndClaimsNeverValues(t *testing.T) {
	env := map[string]string{
		"AWS_ROLE_ARN":                "arn:aws:iam::111122223333:role/tenant-a",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "/token",
		"AWS_ACCESS_KEY_ID":           "AKIAPLANTEDVALUE0000",
		"HOME":                        "/home/app",
	}
	files := map[string]string{
		"/token":                     jwt(`{"aud":["sts.amazonaws.com"],"sub":"system:serviceaccount:a:app","iss":"https://kubernetes.default.svc","exp":1}`),
		"/home/app/.aws/credentials": "[default]\naws_access_key_id = AKIAPLANTEDVALUE0000\n",
	}
	got := ReadAwsEnv(func(k string) string { return env[k] }, func(p string) ([]byte, error) {
		if v, ok := files[p]; ok {
			return []byte(v), nil
		}
		return nil, errors.New("no such file")
	})
	if got.RoleArn != env["AWS_ROLE_ARN"] || got.Token == nil || got.Token.Subject != "system:serviceaccount:a:app" || got.Token.Audience[0] != "sts.amazonaws.com" {
		t.Fatalf("identity: %+v", got)
	}
	if len(got.StaticEnv) != 1 || got.StaticEnv[0] != "AWS_ACCESS_KEY_ID" || len(got.CredentialFiles) != 1 {
		t.Fatalf("static credentials: %+v", got)
	}
}

func TestDecodeClaimsAcceptsAStringAudience(t *testing.T) {
	c, err := decodeClaims(jwt(`{"aud":"sts.amazonaws.com","sub":"s"}`))
	if err != nil || len(c.Audience) != 1 || c.Audience[0] != "sts.amazonaws.com" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := decodeClaims("not-a-jwt"); err == nil {
		t.Fatal("a non-JWT must be an error")
	}
}
