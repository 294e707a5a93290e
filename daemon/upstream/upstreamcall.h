#pragma once

#include "upstreamcallbacks.h"
#include "upstreamrequest.h"
#include "upstreamresponsehead.h"
#include "upstreamresult.h"

#include <curl/system.h>

#include <array>
#include <cstddef>
#include <memory>

namespace gw {

class UpstreamClient;
struct UpstreamEasy;

// One upstream HTTP call: the handle UpstreamClient::start() returns, and
// the transfer's state behind it. The client keeps the call alive while the
// transfer runs, so dropping the handle does not stop it; cancel() does.
// Every method must be called on the client's thread. After the call ended
// (onDone ran, it was cancelled, or the client was destroyed) the methods
// do nothing.
class UpstreamCall
{
public:
    ~UpstreamCall();
    UpstreamCall(const UpstreamCall &) = delete;
    UpstreamCall &operator=(const UpstreamCall &) = delete;

    // Stops the transfer now: the easy handle leaves the multi handle (from
    // inside a callback, as soon as that callback returns), an HTTP/1.1
    // connection is closed so the upstream sees the client go, and no
    // callback of this call runs afterwards.
    void cancel();
    // Back-pressure: no more onData until resumeReceiving(), and libcurl
    // stops reading the socket (at most one more chunk is read and held).
    // onHead may still arrive. The first-byte and idle timeouts do not run
    // meanwhile; the total one does.
    void pauseReceiving();
    void resumeReceiving();

    bool isActive() const;
    bool isPaused() const { return m_paused; }

private:
    friend class UpstreamClient;

    // Where the call stands, for the timeouts of its own.
    enum class Phase { Connecting, Sending, AwaitingFirstByte, Receiving };

    UpstreamCall(UpstreamClient *client, UpstreamRequest request, UpstreamCallbacks callbacks);

    // Sets up the easy handle; false and a message when the request is refused.
    bool prepare(QString *error);
    // The options every call shares, set once on a new easy handle.
    static void configureEasy(void *easy, const char *noProxy);
    void *easy() const;
    // Gives the easy handle back (to the client's pool, or frees it); the
    // client has taken it out of the multi handle.
    void releaseEasy();
    // The client is done with the call (finished, cancelled or destroyed).
    void detach();
    void releaseCallbacks();

    // libcurl callbacks, entered with the call as user data.
    static size_t onCurlHeader(char *data, size_t size, size_t count, void *self);
    static size_t onCurlWrite(char *data, size_t size, size_t count, void *self);
    static int onCurlPrereq(void *self, char *primaryIp, char *localIp, int primaryPort, int localPort);
    static int onCurlProgress(void *self, curl_off_t downloadTotal, curl_off_t downloadNow, curl_off_t uploadTotal,
                              curl_off_t uploadNow);

    bool receiveHeaderLine(const char *data, size_t size);
    bool receiveBody(const char *data, size_t size);
    void requestSent();
    void deliverHead();
    // Runs a callback of the caller; what it asked for meanwhile (releasing
    // the callbacks themselves) waits until it returned.
    template <typename Function>
    void dispatch(Function &&function)
    {
        ++m_dispatchDepth;
        function();
        --m_dispatchDepth;
        if (m_dispatchDepth == 0 && m_releaseAfterDispatch)
            releaseCallbacks();
    }

    // Nanoseconds since the call started.
    qint64 nowNs() const;
    // When the first-byte or idle timeout is due (nowNs() scale), -1 when
    // none applies now.
    qint64 deadlineNs() const;
    // Makes sure the client's deadline timer fires by deadlineNs().
    void updateDeadline();
    QString timeoutMessage() const;
    QString curlTimeoutMessage() const;

    // The result as it stands, with what libcurl knows about the transfer;
    // call before releaseEasy().
    UpstreamResult buildResult(int curlCode, UpstreamFailure failure, const QString &message);
    QString curlMessage(int curlCode) const;
    QString scrubbed(QString message) const;

    UpstreamClient *m_client;
    UpstreamRequest m_request;
    UpstreamCallbacks m_callbacks;
    std::unique_ptr<UpstreamEasy> m_easy;
    std::array<char, 256> m_errorBuffer{}; // CURL_ERROR_SIZE, checked in the .cpp

    UpstreamResponseHead m_head;
    qint64 m_bytesReceived = 0;
    qint64 m_firstByteUs = -1;
    // Where the request went (the prerequest callback's), formatted only
    // for the result.
    std::array<char, 64> m_primaryIp{};
    int m_primaryPort = 0;

    qint64 m_startNs = 0; // steady clock, when the call was made
    Phase m_phase = Phase::Connecting;
    qint64 m_sentAtNs = 0;
    qint64 m_lastActivityNs = 0;
    curl_off_t m_uploadedBytes = 0;
    // The deadline the client's timer is known to fire by for this call
    // (nowNs() scale), -1 when none was asked for.
    qint64 m_timerDueNs = -1;

    bool m_added = false;    // in the multi handle
    bool m_paused = false;
    bool m_curlPaused = false; // libcurl holds a chunk we refused with CURL_WRITEFUNC_PAUSE
    bool m_cancelled = false;
    bool m_finished = false; // onDone delivered or about to be
    bool m_headDelivered = false;
    bool m_trackUpload = false;
    int m_dispatchDepth = 0;
    bool m_releaseAfterDispatch = false;
};

} // namespace gw
