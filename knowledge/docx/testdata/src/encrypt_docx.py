# Saves a DOCX again with a password through LibreOffice (python3-uno).
# Usage: python3 encrypt_docx.py in.docx out.docx password
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue, NamedValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p


src, dst = [os.path.abspath(a) for a in sys.argv[1:3]]
pw = sys.argv[3]
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
    "-env:UserInstallation=file:///tmp/lo-encrypt-profile",
    "--accept=pipe,name=wegwijsfx;urp;"])
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            ctx = resolver.resolve("uno:pipe,name=wegwijsfx;urp;StarOffice.ComponentContext"); break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    enc = uno.Any("[]com.sun.star.beans.NamedValue", (NamedValue("OOXPassword", pw), NamedValue("CryptoType", "Standard")))
    args = (prop("FilterName", "MS Word 2007 XML"), prop("EncryptionData", enc))
    uno.invoke(doc, "storeAsURL", (uno.systemPathToFileUrl(dst), uno.Any("[]com.sun.star.beans.PropertyValue", args)))
    doc.close(True)
    try: desktop.terminate()
    except Exception: pass
finally:
    try: office.wait(timeout=30)
    except Exception: office.kill()
